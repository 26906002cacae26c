#!/usr/bin/env bash
# Fleet benchmark: generates REPOS local bare repositories (as bench/sweep.sh does), then for
# 1, 2 and 4 worker processes plans a sweep into a fresh PostgreSQL database, starts the
# workers with --exit-when-idle (one repository at a time each, fresh mirror caches) and
# reports the wall time from start to the last worker's exit, repositories per minute, and
# how many CPUs the workers kept busy on average (their user + system time, git
# subprocesses included, over the wall time) and the whole machine kept busy (from
# /proc/stat, so the database server on this machine is counted).
#
# Needs a PostgreSQL server: LEAKHOUND_TEST_POSTGRES names a database on it whose user may
# create databases (scripts/test.sh starts one; see docs/fleet.md).
#
# Usage: bench/fleet.sh [REPOS [COMMITS [FILES]]]    Output goes to bench/out/fleet/.
set -euo pipefail

repos=${1:-100}
commits=${2:-60}
files=${3:-8}
base=${LEAKHOUND_TEST_POSTGRES:?set LEAKHOUND_TEST_POSTGRES to a postgres:// URL}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/bench/out/fleet
rm -rf "$work"
mkdir -p "$work"

go build -o "$work/leakhound" "$root/cmd/leakhound"

"$root/bench/genrepos.sh" "$work" "$repos" "$commits" "$files"
echo "generated $repos repositories of $commits commits; $(nproc) CPUs"

# cpu_busy prints the seconds all CPUs have spent busy since boot (not idle or iowait).
cpu_busy() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu / {
		printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat
}

# run N plans the sweep into a new database and times N workers draining it.
run() {
	local n=$1 db=leakhound_bench_fleet_$1 url start end pids=()
	PGOPTIONS=--client-min-messages=warning psql -q "$base" \
		-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
	url=$(echo "$base" | sed -E "s#/[^/?]+(\?|$)#/$db\1#")
	"$work/leakhound" sweep plan --store "$url" --repos-file "$work/repos.txt" >/dev/null
	busy0=$(cpu_busy)
	start=$(date +%s.%N)
	for w in $(seq 1 "$n"); do
		/usr/bin/time -f "%U %S" -o "$work/cpu-$n-$w" \
			"$work/leakhound" worker --store "$url" --exit-when-idle --jobs 1 --poll 200ms \
			--id "w$w" --cache-dir "$work/cache-$n-$w" --log-level warn \
			2>"$work/worker-$n-$w.log" &
		pids+=($!)
	done
	wait "${pids[@]}"
	end=$(date +%s.%N)
	busy1=$(cpu_busy)
	"$work/leakhound" sweep status --store "$url" | sed -n 2p
	cat "$work"/cpu-"$n"-* | awk -v n="$repos" -v w="$n" -v s="$start" -v e="$end" \
		-v b0="$busy0" -v b1="$busy1" '
		{ cpu += $1 + $2 }
		END { printf "%d worker(s): %.1f s, %.0f repos/min, CPUs busy: workers %.2f, " \
			"machine %.2f\n", w, e - s, n / (e - s) * 60, cpu / (e - s), (b1 - b0) / (e - s) }'
	psql -q "$base" -c "DROP DATABASE $db"
}

run 1
run 2
run 4
