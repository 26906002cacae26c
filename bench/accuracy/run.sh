#!/bin/sh
# Score leakhound, and gitleaks when GITLEAKS names its binary, on a labelled corpus built at
# run time (bench/accuracy/gen) and on clean source checked out from public repositories'
# mirrors (CLEAN_REPOS, bare git directories; prometheus and terraform by default).
#
#   GITLEAKS=/path/to/gitleaks bench/accuracy/run.sh
set -eu
cd "$(dirname "$0")/../.."
work=${WORK:-$(mktemp -d)}
mirror=${MIRROR:-/work/.mirror}
CLEAN_REPOS=${CLEAN_REPOS:-"$mirror/prometheus+prometheus/repo $mirror/hashicorp+terraform/repo"}
echo "work dir: $work" >&2

go build -o "$work/leakhound" ./cmd/leakhound
go run ./bench/accuracy/gen -out "$work" -copies "${COPIES:-3}"

mkdir -p "$work/clean"
for repo in $CLEAN_REPOS; do
	name=$(basename "$(dirname "$repo")")
	mkdir -p "$work/clean/$name"
	# Mirrors may lack their largest blobs: read HEAD into a scratch index, drop the
	# entries whose blobs are missing, and check out the rest.
	export GIT_INDEX_FILE="$work/index.$name"
	git --git-dir="$repo" read-tree HEAD
	git --git-dir="$repo" ls-files -s | awk '{ print $2 }' \
		| git --git-dir="$repo" cat-file --batch-check | awk '$2 == "missing" { print $1 }' \
		>"$work/missing.txt"
	git --git-dir="$repo" ls-files -s | grep -F -f "$work/missing.txt" | cut -f2 \
		| xargs -r -d '\n' git --git-dir="$repo" update-index --force-remove --
	git --git-dir="$repo" --work-tree="$work/clean/$name" checkout-index -a -f \
		--prefix="$work/clean/$name/"
	unset GIT_INDEX_FILE
done
lines=$(find "$work/clean" -type f -size -1024k -exec cat {} + | wc -l)

scan_lh() { "$work/leakhound" dir --no-progress --report-format json --report-path "$2" "$1" \
	>/dev/null 2>&1 || true; }
time_it() { start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }

cd "$work"
t_lh=$(time_it scan_lh corpus lh-corpus.json)
t_lh_clean=$(time_it scan_lh clean lh-clean.json)
set -- -tool "leakhound=$work/lh-corpus.json,$work/lh-clean.json"
if [ -n "${GITLEAKS:-}" ]; then
	scan_gl() { "$GITLEAKS" dir --no-banner --log-level error -f json -r "$2" "$1" >/dev/null 2>&1 \
		|| true; }
	t_gl=$(time_it scan_gl corpus gl-corpus.json)
	t_gl_clean=$(time_it scan_gl clean gl-clean.json)
	set -- "$@" -tool "gitleaks=$work/gl-corpus.json,$work/gl-clean.json"
	echo "gitleaks: corpus ${t_gl}s, clean ${t_gl_clean}s" >&2
fi
echo "leakhound: corpus ${t_lh}s, clean ${t_lh_clean}s" >&2
cd - >/dev/null
go run ./bench/accuracy/score -labels "$work/labels.jsonl" -clean-lines "$lines" "$@"
