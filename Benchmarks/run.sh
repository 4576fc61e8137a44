#!/usr/bin/env bash
# Measures a built server binary on this machine: start-up time (fresh database, migrations included), memory,
# and throughput and latency under wrk for the hot routes. Every load run is bounded (DURATION seconds each) and
# targets 127.0.0.1 only. Prints a Markdown table; docs/benchmarks.md records the numbers.
# Usage: Benchmarks/run.sh path/to/TaskAPIServer   (set DATABASE_URL to measure on PostgreSQL)
set -euo pipefail
binary="$(realpath "$1")"
cd "$(dirname "$0")"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

work="$(mktemp -d /tmp/taskapi-bench.XXXXXX)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
started=$(date +%s%N)
SQLITE_PATH="$work/bench.sqlite" LOG_LEVEL=error JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf --max-time 1 "$base/health" >/dev/null 2>&1; do
    sleep 0.005
    [ $((($(date +%s%N) - started) / 1000000)) -lt 30000 ] || { echo "no answer within 30 s" >&2; exit 1; }
done
startup_ms=$((($(date +%s%N) - started) / 1000000))
rss() { awk -v field="$1" '$1 == field":" {printf "%.1f MiB", $2 / 1024}' "/proc/$server/status"; }
idle_rss="$(rss VmRSS)"

curl -sf -X POST "$base/users" -H 'Content-Type: application/json' -d '{"username":"bench","password":"bench-password"}' >/dev/null
export TOKEN
TOKEN="$(curl -sf -X POST "$base/auth/login" -d 'username=bench&password=bench-password' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
for index in $(seq 1 100); do
    curl -sf -X POST "$base/tasks" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "{\"title\":\"Task $index\"}" >/dev/null
done

measure() { # measure NAME WRK-ARGS...: one bounded wrk run, as a table row
    local name="$1"
    shift
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" >"$work/wrk.txt"
    local rps p50 p99 errors
    rps="$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk.txt")"
    p50="$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")"
    p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
    errors="$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")"
    echo "| $name | $rps | $p50 | $p99 | ${errors:-0} |"
}

echo "Database: $([ -n "${DATABASE_URL:-}" ] && echo PostgreSQL || echo "SQLite file"); wrk: 2 threads, $connections connections, ${duration}s per row; $(nproc) cores shared by wrk and the server."
echo
echo "| route | requests/s | p50 | p99 | non-2xx |"
echo "| --- | ---: | ---: | ---: | ---: |"
measure "GET /health" "$base/health"
measure "GET /tasks/1 (token checked, user loaded)" -s read-tasks.lua "$base/tasks/1"
measure "GET /tasks (100 tasks, X-Total-Count)" -s read-tasks.lua "$base/tasks"
measure "POST /tasks" -s create-task.lua "$base/tasks"
echo
echo "Start-up to first /health answer (fresh database, migrations included): ${startup_ms} ms"
echo "Memory: ${idle_rss} resident when idle, $(rss VmHWM) peak after the load"
