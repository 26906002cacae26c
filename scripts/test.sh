#!/usr/bin/env bash
# Runs leakhound's test suite on a fresh machine: installs what the tests need from Debian's
# packages when it is missing, starts a throwaway PostgreSQL on loopback, then runs gofmt,
# go vet and the race-enabled tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v git >/dev/null 2>&1 || need_pkgs+=(git)
# The HTML report is checked in a real headless browser.
[[ -x /usr/bin/chromium ]] || need_pkgs+=(chromium)
# The Postgres store and the worker fleet are tested against a real server.
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || need_pkgs+=(postgresql)
if ((${#need_pkgs[@]})); then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}"
fi

# start_postgres initialises a cluster in a temporary directory, starts it on 127.0.0.1 at
# the first free port from 54320, creates the database leakhound_test and exports its URL
# as LEAKHOUND_TEST_POSTGRES. The server runs as the postgres user (initdb refuses root)
# and trusts loopback connections; stop_postgres, run at exit, stops it and removes it all.
pg_dir=""
pg_bin=""
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
	local bin port
	bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -1)")
	pg_bin=$bin
	pg_dir=$(mktemp -d /tmp/leakhound-pg.XXXXXX)
	[[ $(id -u) != 0 ]] || chown postgres: "$pg_dir"
	as_postgres "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
	for port in $(seq 54320 54339); do
		if as_postgres "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 30 start \
			-o "-c listen_addresses=127.0.0.1 -c port=$port -k $pg_dir -c fsync=off" \
			>/dev/null; then
			LEAKHOUND_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/leakhound_test"
			export LEAKHOUND_TEST_POSTGRES="$LEAKHOUND_TEST_POSTGRES?sslmode=disable"
			"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres leakhound_test
			return
		fi
	done
	cat "$pg_dir/log" >&2
	return 1
}
stop_postgres() {
	[[ -n "$pg_dir" ]] || return 0
	as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
	rm -rf "$pg_dir"
}

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [[ -n "$unformatted" ]]; then
	echo "gofmt would change:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...

trap stop_postgres EXIT
start_postgres
# The packages above are installed, so tests that need them must not skip.
export LEAKHOUND_REQUIRE_BROWSER=1 LEAKHOUND_REQUIRE_POSTGRES=1
go test -race -count=1 ./...
