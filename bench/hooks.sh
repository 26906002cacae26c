#!/usr/bin/env bash
# Measures how long leakhound's hooks take on large repositories.
#
# For each repository (clones under $DATA, made from the bare mirrors in $MIRRORS), it
# stages a one-file change and times `leakhound staged` (and, if $GITLEAKS names a binary,
# `gitleaks git --staged --pre-commit`), then makes 10 new commits on a branch and times
# `leakhound pre-push` of them. It prints the median wall time of each in milliseconds.
# Nothing touches the worktree: the change is made with git plumbing, and the index is
# put back to HEAD at the end.
#
# Usage: bench/hooks.sh [REPO...]   (default: prometheus terraform)
# Env:   DATA (default /work/data), MIRRORS (default /work/.mirror), RUNS (default 20),
#        LEAKHOUND (default: built from this checkout), GITLEAKS (optional).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-/work/data}
mirrors=${MIRRORS:-/work/.mirror}
runs=${RUNS:-20}
out=$here/bench/out
mkdir -p "$out"

if [ -z "${LEAKHOUND:-}" ]; then
	LEAKHOUND=$out/leakhound
	(cd "$here" && go build -o "$LEAKHOUND" ./cmd/leakhound)
fi
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install hyperfine)" >&2; exit 2; }

declare -A mirror=([prometheus]=prometheus+prometheus [terraform]=hashicorp+terraform)

# median NAME CMD... runs CMD with hyperfine and prints its median in ms.
median() {
	local name=$1; shift
	hyperfine --style none --warmup 3 --runs "$runs" --export-json "$out/$name.json" \
		"$@" >/dev/null 2>&1 || { echo "n/a"; return; }
	python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' \
		"$out/$name.json"
}

# clone REPO makes or reuses a clone with an index matching HEAD. Snapshot mirrors lack
# files of 4 MiB and more, so the index is built with read-tree rather than a checkout.
clone() {
	local repo=$1 dir=$data/$1
	if [ ! -d "$dir/.git" ]; then
		git clone -q --no-checkout "$mirrors/${mirror[$repo]}/repo" "$dir"
	fi
	git -C "$dir" read-tree HEAD
}

# stage_change DIR stages an edit of one Go file through plumbing.
stage_change() {
	local dir=$1 path blob
	path=$(git -C "$dir" ls-files '*.go' | sed -n 100p)
	blob=$( { git -C "$dir" cat-file blob "HEAD:$path"; echo "// bench change"; } |
		git -C "$dir" hash-object -w --stdin)
	git -C "$dir" update-index --cacheinfo "100644,$blob,$path"
}

# ten_commits DIR makes 10 commits on HEAD, each editing one file, and prints the last.
ten_commits() {
	local dir=$1 tip idx path blob tree
	tip=$(git -C "$dir" rev-parse HEAD)
	idx=$(mktemp)
	GIT_INDEX_FILE=$idx git -C "$dir" read-tree HEAD
	for i in $(seq 1 10); do
		path=$(git -C "$dir" ls-files '*.go' | sed -n "$((i * 37))p")
		blob=$( { git -C "$dir" cat-file blob "HEAD:$path"; echo "// bench commit $i"; } |
			git -C "$dir" hash-object -w --stdin)
		GIT_INDEX_FILE=$idx git -C "$dir" update-index --cacheinfo "100644,$blob,$path"
		tree=$(GIT_INDEX_FILE=$idx git -C "$dir" write-tree)
		tip=$(GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.com GIT_COMMITTER_NAME=b \
			GIT_COMMITTER_EMAIL=b@example.com git -C "$dir" commit-tree "$tree" -p "$tip" \
			-m "bench $i")
	done
	rm -f "$idx"
	echo "$tip"
}

printf '%-12s %12s %12s %14s\n' repo staged_ms gitleaks_ms pre_push10_ms
for repo in "${@:-prometheus terraform}"; do
	for r in $repo; do
		dir=$data/$r
		clone "$r"
		stage_change "$dir"
		cd "$dir"
		lh=$(median "$r-staged" -N "$LEAKHOUND staged")
		gl=n/a
		if [ -n "${GITLEAKS:-}" ] && [ -x "$GITLEAKS" ]; then
			gl=$(median "$r-gitleaks" -N \
				"$GITLEAKS git --staged --pre-commit --no-banner --log-level error .")
		fi
		base=$(git rev-parse HEAD)
		tip=$(ten_commits "$dir")
		printf 'refs/heads/bench %s refs/heads/bench %s\n' "$tip" "$base" >"$out/$r-push.txt"
		pp=$(median "$r-prepush" "$LEAKHOUND pre-push origin $dir < $out/$r-push.txt")
		git read-tree HEAD
		cd - >/dev/null
		printf '%-12s %12s %12s %14s\n' "$r" "$lh" "$gl" "$pp"
	done
done
