#!/usr/bin/env bash
# Generates synthetic repositories for the sweep and fleet benchmarks: REPOS local bare
# repositories under DIR/repos, each with COMMITS commits that rewrite FILES of 200 Go source
# files (40 lines each, content unique per repository, commit and file), and lists their
# file:// URLs in DIR/repos.txt.
#
# Usage: bench/genrepos.sh DIR REPOS COMMITS FILES
set -euo pipefail

dir=$1 repos=$2 commits=$3 files=$4
mkdir -p "$dir/repos"
: >"$dir/repos.txt"

# gen REPO writes a git fast-import stream for one repository.
gen() {
	awk -v r="$1" -v nc="$commits" -v nf="$files" 'BEGIN {
		for (c = 1; c <= nc; c++) {
			printf "commit refs/heads/main\nmark :%d\n", c
			printf "committer Bench <bench@example.com> %d +0000\n", 1700000000 + c
			msg = "change " c; printf "data %d\n%s\n", length(msg), msg
			if (c > 1) printf "from :%d\n", c - 1
			for (f = 0; f < nf; f++) {
				n = (c * 7 + f * 13) % 200
				body = ""
				for (l = 0; l < 40; l++)
					body = body sprintf("func f%d_%d() int { return %d * %d + %d }\n", n, l, r, c, l)
				printf "M 644 inline src/pkg%d/file%d.go\ndata %d\n%s\n", n % 10, n, length(body), body
			}
		}
	}'
}

for i in $(seq -w 1 "$repos"); do
	d=$dir/repos/r$i.git
	git init -q --bare "$d"
	gen "$i" | git -C "$d" fast-import --quiet
	echo "file://$d" >>"$dir/repos.txt"
done
