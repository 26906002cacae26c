#!/usr/bin/env bash
# bench/fill-missing.sh — make a benchmark repository with missing blobs
# scannable end to end by `git log -p`.
#
# Repository snapshots used as yardsticks may lack some blobs (e.g. files of
# 4 MiB and more). `git log -p` — which gitleaks runs — dies at the first
# missing blob, so a scan silently covers only the newest commits. This script
# points a replace ref (refs/replace/<missing-oid>) at the empty blob for each
# missing blob, so git reads them as empty files. Nothing else changes: commit
# and tree ids stay the same, and GIT_NO_REPLACE_OBJECTS=1 restores the
# original behaviour. Run it on your own benchmark copy, never on a real repo.
#
# usage: bench/fill-missing.sh REPO...

set -euo pipefail

die() { echo "fill-missing: $*" >&2; exit 2; }

# missing_blobs REPO — ids of blobs reachable from some ref but absent.
# (fsck reports "missing <type> <oid>"; fsck exits non-zero when it finds any.)
missing_blobs() {
	{ GIT_NO_REPLACE_OBJECTS=1 git -C "$1" fsck --connectivity-only 2>&1 || true; } |
		awk '$1 == "missing" && $2 == "blob" { print $3 }
			$1 == "missing" && $2 != "blob" { print "fill-missing: skipping missing " $2 " " $3 > "/dev/stderr" }'
}

fill_repo() {
	local repo="$1" empty oid n=0
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || die "not a git repository: $repo"
	empty="$(git -C "$repo" hash-object -w --stdin </dev/null)"
	while read -r oid; do
		git -C "$repo" update-ref "refs/replace/$oid" "$empty"
		n=$((n + 1))
	done < <(missing_blobs "$repo")
	echo "$repo: $n missing object(s) now read as the empty blob"
}

[[ $# -gt 0 ]] || die "usage: $0 REPO..."
for repo in "$@"; do
	fill_repo "$repo"
done
