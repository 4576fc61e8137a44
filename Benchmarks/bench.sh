#!/usr/bin/env bash
# The benchmark instrument. One command starts what it needs on 127.0.0.1 (a throwaway PostgreSQL from
# scripts/postgres.sh, the given server binary, Debian's nginx), seeds data through the API, and runs ROUNDS
# interleaved rounds of these scenarios, each followed by its ceiling measured in the same round:
#   GET /tasks/{id}, GET /tasks (100 tasks), POST /tasks, mixed CRUD (60% read)
#       ceiling: pgbench -M prepared running the exact statements the server sends for that route,
#       written down in Benchmarks/sql/<scenario>.sql next to Benchmarks/wrk/<scenario>.lua; then the same
#       statements paced with pgbench --rate to the server's own req/s, for PostgreSQL's CPU at that load
#   POST /tasks without a token (401)       ceiling: nginx answering the same status, headers and body
#   login storm: GET /tasks/{id} with LOGIN_CONCURRENCY (4) concurrent logins, against the reads alone, and the
#       logins per second against bcrypt checks per second at BCRYPT_COST (python's bcrypt package; without
#       it, the server's own logins one at a time, times the cores)
#   POST /auth/login alone, LOGIN_CONCURRENCY connections: ceiling, the same bcrypt checks per second
# It prints per scenario req/s, p50 and p99, the share of the ceiling, server and PostgreSQL CPU per request
# (from /proc), the server's peak memory, how busy the machine was and how much of it other processes took: a
# Markdown table per round, then the medians. It is a measuring instrument, not a timing gate: it fails only on
# errors or unexpected answers. Orchestration and /proc reading: Benchmarks/bench.py. Details: docs/benchmarks.md.
#
# Usage: Benchmarks/bench.sh path/to/TaskAPIServer
#   DURATION=10 ROUNDS=3 CONNECTIONS=32   seconds per run, rounds, wrk connections (the defaults)
#   BCRYPT_COST=12                        the server's bcrypt cost (and the bcrypt ceiling's)
#   PGBENCH_CLIENTS=$CONNECTIONS LOGIN_CONCURRENCY=4 WRK_THREADS=2
#   PG_DURABLE=1                          PostgreSQL with fsync on (default: fsync=off, synchronous_commit=off)
#   BCRYPT_CEILING=server                 the fallback bcrypt ceiling even where python's bcrypt is installed
#   BENCH_JSON=path                       also writes every measurement as JSON
#   LEAN_STACK=path/to/LeanTaskServer     also runs each scenario but the logins on the issue's calibration stack
#                                         (Benchmarks/LeanStack), right after the service, against the same ceiling
#   PROFILE=read-task                     instead of the rounds, one run of Benchmarks/wrk/read-task.lua (or
#                                         another scenario) under `perf record -g`, and the top of its report
# Smoke check (CI, scripts/test.sh): DURATION=1 ROUNDS=1 BCRYPT_COST=4 Benchmarks/bench.sh binary, about 20 s.
# Needs wrk, nginx, PostgreSQL's server binaries and pgbench (Debian: wrk nginx postgresql postgresql-contrib).
set -uo pipefail

duration="${DURATION:-10}"
rounds="${ROUNDS:-3}"
# The whole run is bounded: about 14 runs of DURATION per round (19 with LEAN_STACK), plus start-up; past it,
# `timeout` sends SIGTERM and the trap below still cleans up.
if [ -z "${BENCH_BOUNDED:-}" ]; then
    BENCH_BOUNDED=1 exec timeout --foreground -k 30 $((rounds * (${LEAN_STACK:+5} + 14) * (duration + 6) + 240)) bash "$0" "$@"
fi
[ $# = 1 ] && [ -x "$1" ] || { echo "usage: $0 path/to/TaskAPIServer" >&2; exit 2; }
source_binary="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
for tool in wrk python3; do
    command -v "$tool" >/dev/null || { echo "$tool not found (Debian: apt-get install $tool)" >&2; exit 1; }
done

work="$(mktemp -d /tmp/taskapi-bench.XXXXXX)"
bench_pid=""
cleanup() {
    if [ -n "$bench_pid" ]; then
        kill -TERM "$bench_pid" 2>/dev/null
        timeout 30 tail -s 0.1 --pid="$bench_pid" -f /dev/null 2>/dev/null || kill -KILL "$bench_pid" 2>/dev/null
        wait "$bench_pid" 2>/dev/null
    fi
    declare -F stop_postgres >/dev/null && stop_postgres
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A private copy: a rebuild may replace the binary while this runs.
cp "$source_binary" "$work/TaskAPIServer" || exit 1
if [ -n "${LEAN_STACK:-}" ]; then
    cp "$LEAN_STACK" "$work/LeanTaskServer" || exit 1
    export LEAN_STACK="$work/LeanTaskServer"
fi
source "$here/../scripts/postgres.sh"
start_postgres || exit 1

# In the background, so that a signal reaches the trap at once; bench.py stops what it started on SIGTERM.
BENCH_PG_URL="$TEST_POSTGRES_URL" BENCH_PG_DIR="$PG_DIR" BENCH_PG_BIN="$PG_BIN" BENCH_PG_PORT="$PG_PORT" \
    BENCH_PG_DURABLE="${PG_DURABLE:-0}" BENCH_BINARY_SOURCE="$source_binary" \
    python3 "$here/bench.py" "$work/TaskAPIServer" "$work" &
bench_pid=$!
wait "$bench_pid"
status=$?
bench_pid=""
exit "$status"
