#!/usr/bin/env bash
# bench/audit.sh — side-by-side timing of leakhound against the git "floor"
# (reading every object once) and, optionally, against gitleaks.
#
# For every repository given, each of N rounds runs, in this order:
#   floor      git -C REPO cat-file --batch-all-objects --batch > /dev/null
#   leakhound  leakhound git --no-progress --report-format json --report-path F REPO
#   gitleaks   gitleaks git REPO --report-path F --report-format json --no-banner
# and then prints one table row per repository with medians, peak RSS and
# finding counts. See bench/README.md.
#
# This script never builds or downloads gitleaks: pass a binary you built
# yourself, outside this tree, with GITLEAKS=... or -g; the column is skipped
# otherwise.

set -euo pipefail

# ---------------------------------------------------------------------------
# Defaults (each can come from the environment or a flag).
# ---------------------------------------------------------------------------
RUNS="${RUNS:-3}"             # timed rounds per repository
GITLEAKS_RUNS="${GITLEAKS_RUNS:-}" # rounds of gitleaks; empty = RUNS
LEAKHOUND="${LEAKHOUND:-}"    # leakhound binary; empty = build it; "skip" = no column
GITLEAKS="${GITLEAKS:-}"      # gitleaks binary; empty = no column
OUTDIR="${OUTDIR:-}"          # where reports, logs and results.tsv go
WARMUP="${WARMUP:-1}"         # 1 = one untimed floor run per repo to warm the page cache
TIME_BIN="${TIME_BIN:-/usr/bin/time}"
NOISY=0                       # set to 1 when the load average was high

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

usage() {
	cat <<EOF
usage: $(basename "$0") [options] REPO...

REPO is a path to a git repository (bare or not). All refs are scanned.

options (environment variable in brackets):
  -n N      timed rounds per repository, default 3            [RUNS]
  -G N      rounds of gitleaks, default RUNS: at 30 minutes a  [GITLEAKS_RUNS]
            round on a large history, one may be all there is time for
  -l PATH   leakhound binary; default builds ./cmd/leakhound   [LEAKHOUND]
            from $ROOT into a temp dir; "skip" drops the column
  -g PATH   gitleaks binary, built by you outside this tree;   [GITLEAKS]
            without it the gitleaks columns are skipped
  -o DIR    output directory for reports, logs, results.tsv    [OUTDIR]
            default: $ROOT/bench/out/<timestamp>
  -W        no warm-up run                                     [WARMUP=0]
  -h        this help
EOF
}

die() { echo "audit: $*" >&2; exit 2; }
log() { echo "audit: $*" >&2; }

parse_args() {
	while getopts ':n:G:l:g:o:Wh' opt; do
		case "$opt" in
		n) RUNS="$OPTARG" ;;
		G) GITLEAKS_RUNS="$OPTARG" ;;
		l) LEAKHOUND="$OPTARG" ;;
		g) GITLEAKS="$OPTARG" ;;
		o) OUTDIR="$OPTARG" ;;
		W) WARMUP=0 ;;
		h) usage; exit 0 ;;
		:) die "-$OPTARG needs a value" ;;
		*) usage >&2; exit 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	REPOS=("$@")
	[[ ${#REPOS[@]} -gt 0 ]] || { usage >&2; exit 2; }
	[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
	GITLEAKS_RUNS="${GITLEAKS_RUNS:-$RUNS}"
	[[ "$GITLEAKS_RUNS" =~ ^[1-9][0-9]*$ ]] ||
		die "GITLEAKS_RUNS must be a positive integer, got '$GITLEAKS_RUNS'"
}

# ---------------------------------------------------------------------------
# Setup
# ---------------------------------------------------------------------------

check_tools() {
	[[ -x "$TIME_BIN" ]] || die "$TIME_BIN not found (Debian: apt-get install time)"
	command -v git >/dev/null || die "git not found"
	if command -v jq >/dev/null; then
		COUNT_TOOL=jq
	elif command -v python3 >/dev/null; then
		COUNT_TOOL=python3
	else
		die "need jq or python3 to count findings"
	fi
}

# prepare_leakhound sets LEAKHOUND to a runnable binary, building it if needed.
prepare_leakhound() {
	if [[ "$LEAKHOUND" == skip ]]; then
		LEAKHOUND=""
		log "leakhound column skipped"
		return
	fi
	if [[ -z "$LEAKHOUND" ]]; then
		[[ -d "$ROOT/cmd/leakhound" ]] || die "no $ROOT/cmd/leakhound to build; pass -l PATH or -l skip"
		LEAKHOUND="$WORK/bin/leakhound"
		log "building ./cmd/leakhound -> $LEAKHOUND"
		(cd "$ROOT" && go build -o "$LEAKHOUND" ./cmd/leakhound) || die "leakhound build failed"
	fi
	[[ -x "$LEAKHOUND" ]] || die "leakhound binary '$LEAKHOUND' is not executable"
}

prepare_gitleaks() {
	if [[ -z "$GITLEAKS" ]]; then
		log "GITLEAKS not set: gitleaks columns skipped"
		return
	fi
	[[ -x "$GITLEAKS" ]] || die "gitleaks binary '$GITLEAKS' is not executable"
	log "gitleaks: $GITLEAKS ($("$GITLEAKS" version 2>/dev/null || echo '?'))"
}

# ---------------------------------------------------------------------------
# Measurement helpers
# ---------------------------------------------------------------------------

# timed OUT_PREFIX CMD... — runs CMD (stdout to /dev/null, stderr to
# OUT_PREFIX.log) under /usr/bin/time; writes "seconds rss_kb exit user sys" to
# OUT_PREFIX.time. Never fails itself; callers read the exit code.
timed() {
	local prefix="$1"
	shift
	"$TIME_BIN" -f '%e %M %x %U %S' -o "$prefix.time" "$@" >/dev/null 2>"$prefix.log" || true
}

# time_field FILE N — field N (1 secs, 2 rss kB, 3 exit, 4 user s, 5 sys s) of a .time
# file's last line.
# (/usr/bin/time prefixes "Command exited with non-zero status" on its own line.)
time_field() { tail -n 1 "$1" | awk -v f="$2" '{print $f}'; }

# median — median of the numbers on stdin (mean of the two middle ones if even).
median() {
	sort -g | awk '{v[NR] = $1}
		END {
			if (NR == 0) { print "-"; exit }
			if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]
			else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# max_mb — largest kB value on stdin, printed in MB.
max_mb() { sort -g | tail -n 1 | awk 'NF {printf "%.0f\n", $1 / 1024; next} END {if (!NR) print "-"}'; }

# ratio A B — A/B to two decimals, "-" if either is missing or B is zero.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'
}

# count_findings REPORT — length of the JSON array in REPORT, "-" if unreadable.
count_findings() {
	local report="$1" n
	[[ -s "$report" ]] || { echo "-"; return; }
	if [[ "$COUNT_TOOL" == jq ]]; then
		n="$(jq 'length' "$report" 2>/dev/null)" || n="-"
	else
		n="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$report" 2>/dev/null)" || n="-"
	fi
	echo "${n:--}"
}

# loadavg — the 1-minute load average, or "?" where /proc is absent.
loadavg() { awk '{print $1}' /proc/loadavg 2>/dev/null || echo "?"; }

# check_quiet — warn when other work is competing for the CPUs; timings taken
# then are inflated and not comparable between runs.
check_quiet() {
	local load cpus
	load="$(loadavg)"
	cpus="$(nproc 2>/dev/null || echo 1)"
	if awk -v l="$load" -v c="$cpus" 'BEGIN {exit !(l != "?" && l + 0 > c * 0.5)}'; then
		log "  WARNING: load average $load on $cpus CPU(s) before this repo; timings will be noisy"
		NOISY=1
	fi
}

# ---------------------------------------------------------------------------
# One tool, one round
# ---------------------------------------------------------------------------

# Each run_* function takes REPO DIR ROUND, leaves DIR/<tool>.ROUND.{time,log}
# (and .json for scanners), and appends "secs rss" to DIR/<tool>.samples on
# success. Failures are logged and leave no sample.

run_floor() {
	local repo="$1" dir="$2" round="$3" p="$2/floor.$3"
	timed "$p" git -C "$repo" cat-file --batch-all-objects --batch
	record "$p" floor "$dir" 0
}

run_leakhound() {
	local repo="$1" dir="$2" round="$3" p="$2/leakhound.$3"
	rm -f "$p.json"
	timed "$p" "$LEAKHOUND" git --no-progress --report-format json --report-path "$p.json" "$repo"
	# Exit 2 with a report means some objects could not be read (a snapshot missing its
	# large files): the scan still covered the rest, so the sample counts, marked "~".
	if [[ "$(time_field "$p.time" 3)" == 2 && -s "$p.json" ]]; then
		touch "$dir/leakhound.incomplete"
		record "$p" leakhound "$dir" 2
		return
	fi
	record "$p" leakhound "$dir" 1
}

run_gitleaks() {
	local repo="$1" dir="$2" round="$3" p="$2/gitleaks.$3"
	rm -f "$p.json"
	# Run from an empty directory: gitleaks reads ./.gitleaksignore from its
	# working directory by default.
	(cd "$WORK/empty" && timed "$p" "$GITLEAKS" git "$repo" \
		--report-path "$p.json" --report-format json --no-banner)
	record "$p" gitleaks "$dir" 1
	# gitleaks exits 0 even when `git log` dies part way (e.g. a missing
	# blob); its log then carries "[git] fatal". Flag such runs as partial.
	if grep -q '\[git\] fatal' "$p.log"; then
		log "  gitleaks round $round was PARTIAL: $(grep -m1 '\[git\] fatal' "$p.log" | sed 's/\x1b\[[0-9;]*m//g')"
		touch "$dir/gitleaks.partial"
	fi
}

# record PREFIX TOOL DIR MAXOK — keep the sample if the exit code is 0..MAXOK
# (scanners exit 1 when they find leaks).
record() {
	local p="$1" tool="$2" dir="$3" maxok="$4" code secs rss cpu
	code="$(time_field "$p.time" 3)"
	secs="$(time_field "$p.time" 1)"
	rss="$(time_field "$p.time" 2)"
	cpu="$(tail -n 1 "$p.time" | awk '{printf "%.2f", $4 + $5}')"
	if [[ "$code" =~ ^[0-9]+$ ]] && ((code <= maxok)); then
		echo "$secs $rss $cpu" >>"$dir/$tool.samples"
		log "  $tool: ${secs}s ${rss}kB exit $code"
	else
		log "  $tool FAILED (exit ${code:-?}); see $p.log"
		touch "$dir/$tool.failed"
	fi
}

# ---------------------------------------------------------------------------
# One repository
# ---------------------------------------------------------------------------

# summarize TOOL DIR — prints "median_secs peak_mb findings median_cpu_secs" for TOOL.
summarize() {
	local tool="$1" dir="$2" secs mb n round cpu
	if [[ ! -s "$dir/$tool.samples" ]]; then
		echo "- - - -"
		return
	fi
	secs="$(awk '{print $1}' "$dir/$tool.samples" | median)"
	cpu="$(awk '{print $3}' "$dir/$tool.samples" | median)"
	mb="$(awk '{print $2}' "$dir/$tool.samples" | max_mb)"
	n="-"
	if [[ "$tool" != floor ]]; then
		# The latest round that left a report.
		for ((round = RUNS; round >= 1; round--)); do
			if [[ -s "$dir/$tool.$round.json" ]]; then
				n="$(count_findings "$dir/$tool.$round.json")"
				break
			fi
		done
		if [[ -e "$dir/$tool.partial" ]]; then n="$n!"; fi
		if [[ -e "$dir/$tool.incomplete" ]]; then n="$n~"; fi
	fi
	if [[ -e "$dir/$tool.failed" ]]; then secs="$secs*"; fi
	echo "$secs $mb $n $cpu"
}

bench_repo() {
	local repo="$1" name dir commits round
	[[ -d "$repo" ]] || die "no such repository: $repo"
	repo="$(cd "$repo" && pwd)"
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 || die "not a git repository: $repo"
	name="$(basename "$repo")"
	name="${name%.git}"
	dir="$OUTDIR/$name"
	mkdir -p "$dir"
	rm -f "$dir"/*.samples "$dir"/*.failed "$dir"/*.partial "$dir"/*.incomplete

	commits="$(git -C "$repo" rev-list --all | wc -l | tr -d ' ')"
	log "$name: $commits commits ($repo)"
	if [[ -n "$GITLEAKS" && -e "$repo/.gitleaks.toml" ]]; then
		log "  note: gitleaks will use $repo/.gitleaks.toml instead of its default rules"
	fi

	check_quiet
	if [[ "$WARMUP" == 1 ]]; then
		git -C "$repo" cat-file --batch-all-objects --batch >/dev/null
	fi

	# Rounds interleave the tools so slow drift (thermal, cache) hits all alike.
	for ((round = 1; round <= RUNS; round++)); do
		log " round $round/$RUNS"
		run_floor "$repo" "$dir" "$round"
		if [[ -n "$LEAKHOUND" ]]; then run_leakhound "$repo" "$dir" "$round"; fi
		if [[ -n "$GITLEAKS" ]] && ((round <= GITLEAKS_RUNS)); then
			run_gitleaks "$repo" "$dir" "$round"
		fi
	done

	local f_s f_mb _ f_cpu l_s l_mb l_n l_cpu g_s g_mb g_n g_cpu
	read -r f_s f_mb _ f_cpu < <(summarize floor "$dir")
	read -r l_s l_mb l_n l_cpu < <(summarize leakhound "$dir")
	read -r g_s g_mb g_n g_cpu < <(summarize gitleaks "$dir")

	# Ratios use the bare numbers (strip the "*" failure mark).
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$name" "$commits" "$f_s" "$l_s" "$g_s" \
		"$(ratio "${l_s%\*}" "${f_s%\*}")" "$(ratio "${g_s%\*}" "${l_s%\*}")" \
		"$f_mb" "$l_mb" "$g_mb" "$l_n" "$g_n" \
		"$f_cpu" "$l_cpu" "$g_cpu" "$(ratio "$g_cpu" "$l_cpu")" >>"$OUTDIR/results.tsv"
}

# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

print_table() {
	column -t -s $'\t' "$OUTDIR/results.tsv" 2>/dev/null || cat "$OUTDIR/results.tsv"
	cat <<EOF

times are medians of $RUNS round(s) ($GITLEAKS_RUNS for gitleaks) in seconds; RSS is the
peak over rounds in MB;
findings come from the last round's report.  "-" = not run or failed,
"*" = some rounds failed (see logs), "!" = gitleaks scan was partial
(git log stopped early, e.g. on a missing object), "~" = leakhound named objects it
could not read (exit 2) and scanned the rest. *_cpu columns are user+sys seconds,
steadier than wall time on a shared machine.
results and logs: $OUTDIR
EOF
	if [[ "$NOISY" == 1 ]]; then
		echo "WARNING: the machine was busy during some repositories (see stderr); rerun on a quiet machine."
	fi
}

main() {
	parse_args "$@"
	check_tools

	WORK="$(mktemp -d "${TMPDIR:-/tmp}/leakhound-audit.XXXXXX")"
	trap 'rm -rf "$WORK"' EXIT
	mkdir -p "$WORK/bin" "$WORK/empty"

	[[ -n "$OUTDIR" ]] || OUTDIR="$ROOT/bench/out/$(date +%Y%m%d-%H%M%S)"
	mkdir -p "$OUTDIR"
	OUTDIR="$(cd "$OUTDIR" && pwd)"

	prepare_leakhound
	prepare_gitleaks

	printf 'repo\tcommits\tfloor_s\tleakhound_s\tgitleaks_s\tlh/floor\tgl/lh\tfloor_MB\tleakhound_MB\tgitleaks_MB\tleakhound_findings\tgitleaks_findings\tfloor_cpu\tleakhound_cpu\tgitleaks_cpu\tgl/lh_cpu\n' \
		>"$OUTDIR/results.tsv"

	local repo
	for repo in "${REPOS[@]}"; do
		bench_repo "$repo"
	done
	print_table
}

main "$@"
