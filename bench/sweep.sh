#!/usr/bin/env bash
# Sweep benchmark: generates REPOS local bare repositories (COMMITS commits each, FILES files
# touched per commit, content unique per repository), sweeps them twice with a fresh store
# and cache, and reports each sweep's wall time, repositories per minute and peak memory
# (/usr/bin/time -v). The second sweep finds nothing changed; the target is >= 20x faster.
#
# Usage: bench/sweep.sh [REPOS [COMMITS [FILES]]]    Output goes to bench/out/.
set -euo pipefail

repos=${1:-120}
commits=${2:-60}
files=${3:-8}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/bench/out
work=$out/sweep
rm -rf "$work"
mkdir -p "$work"

go build -o "$work/leakhound" "$root/cmd/leakhound"

"$root/bench/genrepos.sh" "$work" "$repos" "$commits" "$files"
echo "generated $repos repositories of $commits commits in $work/repos"

run() {
	/usr/bin/time -v "$work/leakhound" sweep --repos-file "$work/repos.txt" \
		--store "$work/store.db" --cache-dir "$work/cache" --no-progress \
		-r "$work/report-$1.txt" 2>"$work/sweep-$1.log" || true
	wall=$(grep 'Elapsed (wall clock)' "$work/sweep-$1.log" | awk '{print $NF}')
	rss=$(grep 'Maximum resident set size' "$work/sweep-$1.log" | awk '{print $NF}')
	secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	rate=$(awk -v n="$repos" -v s="$secs" 'BEGIN { printf "%.0f", n / s * 60 }')
	printf 'sweep %s: wall %ss, %s repos/min, peak RSS %d MiB\n' "$1" "$secs" "$rate" \
		$((rss / 1024))
	eval "secs$1=$secs"
}

run 1
run 2
awk -v a="$secs1" -v b="$secs2" 'BEGIN { printf "second sweep %.1fx faster\n", a / b }'
grep -h '^leakhound: sweep' "$work"/sweep-*.log
