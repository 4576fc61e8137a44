#!/usr/bin/env bash
# The test command. Checks that the generated OpenAPI code matches openapi.yaml, starts a throwaway PostgreSQL
# server (removed afterwards), runs the whole Swift Testing suite on SQLite and on PostgreSQL, then on both
# databases drives the built binary's CLI as the README does (scripts/smoke-test.sh) and fuzzes the live server
# against its own contract (scripts/conformance-test.sh); last, headless Chromium uses /docs as a person would
# (scripts/browser-test.sh).
#
#   scripts/test.sh                  everything
#   SKIP_POSTGRES=1 scripts/test.sh  SQLite only, for a machine without PostgreSQL's server binaries
#   SKIP_BROWSER=1 scripts/test.sh   no browser test, for a machine without Chromium
#   scripts/test.sh --filter Login   extra arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."

python3 scripts/openapi_document.py check

if [ "${SKIP_POSTGRES:-0}" = 1 ]; then
    echo "SKIP_POSTGRES=1: testing on SQLite only." >&2
    unset TEST_POSTGRES_URL
else
    source scripts/postgres.sh
    trap stop_postgres EXIT
    start_postgres
fi

swift build --product TaskAPIServer
swift test "$@"

binary="$(swift build --show-bin-path)/TaskAPIServer"
scripts/smoke-test.sh "$binary"
scripts/conformance-test.sh "$binary"
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    DATABASE_URL="$TEST_POSTGRES_URL" scripts/smoke-test.sh "$binary"
    DATABASE_URL="$TEST_POSTGRES_URL" scripts/conformance-test.sh "$binary"
fi
if [ "${SKIP_BROWSER:-0}" = 1 ]; then
    echo "SKIP_BROWSER=1: no browser test." >&2
else
    scripts/browser-test.sh "$binary"
fi
