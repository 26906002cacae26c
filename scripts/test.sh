#!/usr/bin/env bash
# Runs leakhound's test suite on a fresh machine: installs what the tests need from Debian's
# packages when it is missing, then runs gofmt, go vet and the race-enabled tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
command -v git >/dev/null 2>&1 || need_pkgs+=(git)
# The HTML report is checked in a real headless browser.
[[ -x /usr/bin/chromium ]] || need_pkgs+=(chromium)
if ((${#need_pkgs[@]})); then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}"
fi

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [[ -n "$unformatted" ]]; then
	echo "gofmt would change:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
# The packages above are installed, so tests that need them must not skip.
export LEAKHOUND_REQUIRE_BROWSER=1
go test -race -count=1 ./...
