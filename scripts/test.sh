#!/usr/bin/env bash
# The test command. Checks that the generated OpenAPI code matches openapi.yaml, starts a throwaway PostgreSQL
# server (removed afterwards), runs the whole Swift Testing suite on SQLite and on PostgreSQL, then on both
# databases drives the built binary's CLI as the README does (scripts/smoke-test.sh) and fuzzes the live server
# against its own contract (scripts/conformance-test.sh). With PostgreSQL, three replicas of the binary also run
# behind nginx on their own throwaway PostgreSQL, and every check goes through the one nginx address
# (scripts/replicas-test.sh, the shape of docker-compose.replicas.yml without Docker), and after the PostgreSQL
# smoke and conformance runs, faults are injected into the running binary (scripts/fault-test.sh, about 30 s, on
# a durable PostgreSQL of its own and on SQLite): PostgreSQL killed under write load, SIGKILL and SIGTERM of the
# API, idle and half-sent connections, and no acknowledged write may be lost. Then the benchmark instrument runs
# once as a smoke check (Benchmarks/bench.sh with DURATION=1 ROUNDS=1 BCRYPT_COST=4, about 20 s, on its own
# throwaway PostgreSQL, with wrk, pgbench and nginx, and beside it the issue's calibration stack, Benchmarks/LeanStack,
# built here), so that neither can rot: it fails on errors or wrong answers under load, never on its numbers, which
# are printed only; so does Benchmarks/layer-costs.py, 1 s per run.
# Last, headless Chromium uses /docs as a person would (scripts/browser-test.sh).
#
#   scripts/test.sh                  everything
#   SKIP_POSTGRES=1 scripts/test.sh  SQLite only, for a machine without PostgreSQL's server binaries
#   SKIP_BROWSER=1 scripts/test.sh   no browser test, for a machine without Chromium
#   SKIP_REPLICAS=1 scripts/test.sh  no replicas test, for a machine without nginx
#   SKIP_FAULT=1 scripts/test.sh     no fault-injection test
#   SKIP_BENCH=1 scripts/test.sh     no benchmark smoke run, for a machine without wrk, pgbench or nginx
#   scripts/test.sh --filter Login   extra arguments go to `swift test`
set -euo pipefail
cd "$(dirname "$0")/.."

# On a new machine, first what the tests below need (as root; otherwise it names what is missing).
scripts/test-prerequisites.sh

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
swift build --product TaskAPILayerCosts
swift test "$@"

binary="$(swift build --show-bin-path)/TaskAPIServer"
scripts/smoke-test.sh "$binary"
scripts/conformance-test.sh "$binary"
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    DATABASE_URL="$TEST_POSTGRES_URL" scripts/smoke-test.sh "$binary"
    if [ "${SKIP_REPLICAS:-0}" = 1 ]; then
        echo "SKIP_REPLICAS=1: no replicas test." >&2
    else
        scripts/replicas-test.sh "$binary"
    fi
    DATABASE_URL="$TEST_POSTGRES_URL" scripts/conformance-test.sh "$binary"
    if [ "${SKIP_FAULT:-0}" = 1 ]; then
        echo "SKIP_FAULT=1: no fault-injection test." >&2
    else
        scripts/fault-test.sh "$binary"
    fi
    if [ "${SKIP_BENCH:-0}" = 1 ]; then
        echo "SKIP_BENCH=1: no benchmark smoke run." >&2
    else
        swift build --package-path Benchmarks/LeanStack
        LEAN_STACK="$(swift build --package-path Benchmarks/LeanStack --show-bin-path)/LeanTaskServer" \
            DURATION=1 ROUNDS=1 BCRYPT_COST=4 Benchmarks/bench.sh "$binary"
        DURATION=1 python3 Benchmarks/layer-costs.py "$(dirname "$binary")/TaskAPILayerCosts"
    fi
fi
if [ "${SKIP_BROWSER:-0}" = 1 ]; then
    echo "SKIP_BROWSER=1: no browser test." >&2
else
    scripts/browser-test.sh "$binary"
fi
