#!/usr/bin/env bash
# Fault injection against the built server binary, on a throwaway PostgreSQL that keeps its durable defaults
# (fsync and synchronous_commit on: PG_DURABLE=1 of scripts/postgres.sh) and on SQLite, all on 127.0.0.1:
#   1. PostgreSQL killed (pg_ctl stop -m immediate) under write load, started again after 4 s: every write during
#      the outage gets 503 with Retry-After (never 500) within DATABASE_TIMEOUT + 0.5 s, /health stays 200,
#      /health/ready is 503, a token-less request gets 401, the API serves again < 1 s after PostgreSQL does, and
#      the log reports the outage once (and no per-request errors).
#   2. The API SIGKILLed under write load and started again on the same database: it answers /health in seconds.
#   3. SIGTERM while logins (BCRYPT_COST=12) are in flight: all answer 200, new connections are refused, and the
#      process exits 0 within SHUTDOWN_GRACE.
#   4. IDLE_TIMEOUT=2: idle keep-alive and half-sent connections are closed; HEADER_TIMEOUT=4: a slowloris client
#      sending a header byte a second is closed at 4 s; 20 KiB and 200 KiB headers get 431; MAX_CONNECTIONS=350:
#      past it, connections get 503 with Retry-After, and once they close a new one is served.
#   5. Every write acknowledged with 201 in 1 and 2 is read back with its title: none lost.
#   6. Part 2 and 5 again on SQLite.
# Load generators and measurements: scripts/fault/fault.py (Python 3 standard library). About 30 s. Every
# server, PostgreSQL and temporary file is removed on exit; FAULT_KEEP=1 keeps the logs and measurements.
# Usage: scripts/fault-test.sh path/to/TaskAPIServer
set -uo pipefail
[ -x "${1:-}" ] || { echo "usage: $0 path/to/TaskAPIServer" >&2; exit 2; }
source_binary="$(realpath "$1")"
cd "$(dirname "$0")/.."
servers=()
cleanup() {
    local pid
    for pid in "${servers[@]}"; do
        kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    declare -F stop_postgres >/dev/null && stop_postgres
    if [ "${FAULT_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
work="$(mktemp -d /tmp/taskapi-fault.XXXXXX)"
trap cleanup EXIT
trap 'exit 130' INT TERM
# A private copy: a rebuild may replace the binary while this runs.
cp "$source_binary" "$work/TaskAPIServer" || exit 1
binary="$work/TaskAPIServer"
fault=(python3 scripts/fault/fault.py)
exec 3>&2
secret="fault-test-secret-0123456789abcdef0123456789"
database_timeout=2
shutdown_grace=10
idle_timeout=2
header_timeout=4
max_connections=350
passed=0
failed=0
began=$(date +%s)

check() { # check DESCRIPTION COMMAND...: one named assertion
    local description="$1"
    shift
    if "$@" >"$work/check.out" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $description" >&2
        sed 's/^/    /' "$work/check.out" | head -n 20 >&2
    fi
}
holds() { # holds FILE EXPRESSION: the Python expression holds for r, the JSON in FILE
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print(sys.argv[2], "is false for", json.dumps(r)[:1500])
    sys.exit(1)' "$@"
}
count_is() { # count_is EXPECTED FILE PATTERN: lines of FILE matching the extended regex PATTERN
    local got
    got="$(grep -cE "$3" "$2")"
    [ "$got" = "$1" ] || { echo "$got lines match '$3', expected $1"; grep -E "$3" "$2" | head -n 5; return 1; }
}
only_outage_errors() { # only_outage_errors LOG: no line at level error or above but the outage's own
    ! grep -E '^\[ (ERROR|CRITICAL) \]' "$1" | grep -v 'Database unavailable: answering 503'
}
less_than() { # less_than A B (integers)
    [ "$1" -lt "$2" ] || { echo "$1 is not less than $2"; return 1; }
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
measure() { echo "$1=$2" >>"$work/measures"; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# start_server LOG-NAME PORT VARIABLE=VALUE...: serves in the background (a crash exits at once: no ~10 s backtrace,
# the fatal error line is still logged); sets server (the PID) and startup_ms
# (launch to the first 200 from /health), or returns 1 when /health does not answer within 20 s.
start_server() {
    local name="$1" listen="$2" launched
    shift 2
    launched=$(date +%s%N)
    env -u DATABASE_URL -u SQLITE_PATH -u VAPOR_ENV -u CORS_ORIGINS -u TRUSTED_PROXIES \
        JWT_SECRET="$secret" BCRYPT_COST=4 RATE_LIMITS=off LOG_LEVEL=info LOG_FORMAT=text \
        DATABASE_TIMEOUT="$database_timeout" SHUTDOWN_GRACE="$shutdown_grace" SWIFT_BACKTRACE=enable=no "$@" \
        "$binary" serve --hostname 127.0.0.1 --port "$listen" >>"$work/$name.log" 2>&1 &
    server=$!
    servers+=("$server")
    for _ in $(seq 1 400); do
        curl -sf --max-time 1 "http://127.0.0.1:$listen/health" >/dev/null 2>&1 && { startup_ms=$(ms_since "$launched"); return 0; }
        kill -0 "$server" 2>/dev/null || break
        sleep 0.05
    done
    echo "the server ($name) did not answer /health:" >&2
    tail -n 20 "$work/$name.log" >&2
    return 1
}
# reap PID SECONDS: waits at most SECONDS for a server to exit, SIGKILLs it if it has not, and sets exit_code (its
# status, or "still running"). Its PID is then forgotten, so that cleanup never signals a reused PID.
reap() {
    if timeout "$2" tail -s 0.05 --pid="$1" -f /dev/null; then
        wait "$1"
        exit_code=$?
    else
        exit_code="still running"
        kill -KILL "$1" 2>/dev/null
        wait "$1"
    fi
    local pid remaining=()
    for pid in "${servers[@]}"; do
        [ "$pid" = "$1" ] || remaining+=("$pid")
    done
    servers=("${remaining[@]}")
}
# stop_server PID: SIGTERM, at most 15 s, then SIGKILL.
stop_server() {
    kill -TERM "$1" 2>/dev/null
    reap "$1" 15 2>/dev/null
}
part() { echo "== $1 ($(($(date +%s) - began)) s)" >&2; }

# sigkill_and_restart TAG LABEL PORT AFTER ENV=VALUE: writes from the users in $work/users-TAG.json until the API
# ($api) is SIGKILLed AFTER seconds in, then starts it again on the same database; true when it is back (as
# $server). The shell's "Killed" notice for the server is expected, and silenced.
sigkill_and_restart() {
    local tag="$1" label="$2" port="$3" after="$4" database="$5"
    {
        "${fault[@]}" writekill --port "$port" --users "$work/users-$tag.json" --pid "$api" --after "$after" \
            --tag "kill-$tag" --out "$work/kill-$tag.json" --acks "$work/acks-kill-$tag.json" 2>&3
        reap "$api" 5
    } 2>/dev/null
    check "writes got 201 until the SIGKILL ($label)" holds "$work/kill-$tag.json" \
        'r["acknowledged"] > 0 and r["unexpected_before_kill"] == 0'
    if ! start_server "api-$tag-restarted" "$port" "$database"; then
        check "the API restarts after SIGKILL ($label)" false
        return 1
    fi
    measure "restart_${tag}_ms" "$startup_ms"
    check "the restarted API answers /health within 5 s ($label)" less_than "$startup_ms" 5000
}

source scripts/postgres.sh
export PG_DURABLE=1
if start_postgres; then
    # What the outage test runs: pg_ctl as the server's user, with the same options as start_postgres.
    printf '%q ' "${PG_RUN[@]}" "$PG_CTL" -D "$PG_DIR/data" -m immediate -w -t 30 stop >"$work/pg-kill.sh"
    printf '%q ' "${PG_RUN[@]}" "$PG_CTL" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 -o "$PG_OPTIONS" start \
        >"$work/pg-start.sh"
    pg_url="$TEST_POSTGRES_URL"
else
    check "a durable PostgreSQL starts" false
    pg_url=""
fi

if [ -n "$pg_url" ]; then
    part "1. PostgreSQL killed under write load"
    port=$(free_port)
    if start_server api-pg "$port" DATABASE_URL="$pg_url"; then
        api=$server
        check "no durability warning at start-up on a durable PostgreSQL" count_is 0 "$work/api-pg.log" 'runs with (fsync|synchronous_commit)'
        "${fault[@]}" users --port "$port" --count 4 --prefix writer --out "$work/users-pg.json"
        "${fault[@]}" outage --port "$port" --users "$work/users-pg.json" --kill "$work/pg-kill.sh" \
            --start "$work/pg-start.sh" --outage-seconds 4 --out "$work/outage.json" --acks "$work/acks-outage.json"
        o="$work/outage.json"
        check "PostgreSQL was killed and started again" holds "$o" 'r["kill"]["code"] == 0 and r["start"]["code"] == 0'
        check "writes got 201 before the outage" holds "$o" 'r["successes_before_kill"] > 0'
        check "during the outage every write got 503" holds "$o" 'r["during_requests"] > 0 and r["during_not_503"] == 0'
        check "no 500, no reset or unanswered write at any time (only 201 and 503)" holds "$o" 'r["unexpected_count"] == 0'
        check "every 503 carries Retry-After" holds "$o" 'r["no_retry_after"] == 0'
        check "the slowest answer during the outage is within DATABASE_TIMEOUT + 0.5 s" \
            holds "$o" "r['slowest_during'] <= $database_timeout + 0.5"
        check "/health stayed 200 during the outage" holds "$o" 'list(r["monitor"]["health"]["statuses"]) == ["200"]'
        check "/health/ready answered 503 during the outage" holds "$o" 'list(r["monitor"]["ready"]["statuses"]) == ["503"]'
        check "a token-less request got 401 during the outage" holds "$o" 'list(r["monitor"]["no_token"]["statuses"]) == ["401"]'
        check "/openapi.json stayed 200 during the outage" holds "$o" 'list(r["monitor"]["openapi"]["statuses"]) == ["200"]'
        check "writes succeed within 1 s of PostgreSQL accepting connections again" \
            holds "$o" 'r["recovery_seconds"] is not None and r["recovery_seconds"] < 1.0'
        log="$work/api-pg.log"
        measure log_unavailable "$(grep -c 'Database unavailable' "$log")"
        measure log_available "$(grep -c 'Database available again' "$log")"
        measure log_errors "$(grep -cE '^\[ (ERROR|CRITICAL) \]' "$log")"
        check "the log reports the outage once" count_is 1 "$log" 'Database unavailable: answering 503'
        check "the log reports the recovery once" count_is 1 "$log" 'Database available again'
        check "no per-request error lines (the outage line is the only error)" \
            only_outage_errors "$log"

        part "2. the API SIGKILLed under write load, then restarted"
        if sigkill_and_restart pg PostgreSQL "$port" 1.5 DATABASE_URL="$pg_url"; then
            part "5. every acknowledged write is there (PostgreSQL)"
            "${fault[@]}" verify --port "$port" --users "$work/users-pg.json" \
                --acks "$work/acks-outage.json" "$work/acks-kill-pg.json" --out "$work/verify-pg.json"
            check "every acknowledged write is readable with its title, none lost (PostgreSQL)" \
                holds "$work/verify-pg.json" 'r["acknowledged"] > 0 and r["lost"] == 0 and r["changed"] == 0 and not r["errors"]'
            stop_server "$server"
        fi
    else
        check "the API starts on PostgreSQL" false
    fi

    part "3. SIGTERM while logins are in flight"
    port=$(free_port)
    if start_server drain "$port" DATABASE_URL="$pg_url" BCRYPT_COST=12; then
        api=$server
        "${fault[@]}" users --port "$port" --count 1 --prefix drainer --out "$work/users-drain.json"
        password="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["password"])' "$work/users-drain.json")"
        "${fault[@]}" drain --port "$port" --pid "$api" --username drainer0 --password "$password" --logins 4 \
            --delay 0.05 --grace "$shutdown_grace" --out "$work/drain.json"
        reap "$api" 5
        code=$exit_code
        measure drain_exit "$code"
        d="$work/drain.json"
        check "the 4 logins were in flight at SIGTERM" holds "$d" 'r["logins_in_flight_at_sigterm"] == 4'
        check "every in-flight login got 200 with a token" holds "$d" 'r["logins_200"] == r["logins"] == 4'
        check "a new connection after SIGTERM is refused while logins drain" \
            holds "$d" 'r["refused_after"] is not None and r["refused_after"] < r["last_login_done_after_sigterm"]'
        check "the process exits within SHUTDOWN_GRACE" holds "$d" "r['exit_after'] is not None and r['exit_after'] <= $shutdown_grace"
        check "the process exits with status 0 after SIGTERM" test "$code" = 0
        check "the server did not crash during the drain" count_is 0 "$work/drain.log" 'Fatal error|Program crashed'
    else
        check "the API starts on PostgreSQL with BCRYPT_COST=12" false
    fi
fi

part "4. idle, half-sent and slowloris connections, oversized headers"
port=$(free_port)
if start_server conns "$port" SQLITE_PATH="$work/conns.sqlite" IDLE_TIMEOUT="$idle_timeout" \
    HEADER_TIMEOUT="$header_timeout" MAX_CONNECTIONS="$max_connections"; then
    "${fault[@]}" conns --port "$port" --idle-timeout "$idle_timeout" --idle 200 --half 100 --slowloris-seconds 10 \
        --max-connections "$max_connections" --out "$work/conns.json"
    c="$work/conns.json"
    check "200 idle keep-alive and 100 half-sent connections were set up" \
        holds "$c" 'r["idle_connections"] == 200 and r["half_connections"] == 100 and not r["setup_errors"]'
    check "idle keep-alive connections are closed after IDLE_TIMEOUT" holds "$c" 'r["idle_open"] == 0'
    check "half-sent connections are closed after IDLE_TIMEOUT without bytes" holds "$c" 'r["half_open"] == 0'
    check "the server still answers afterwards" holds "$c" 'r["health_afterwards"] == 200'
    check "a slowloris client is closed at HEADER_TIMEOUT=$header_timeout" \
        holds "$c" "r['slowloris']['closed_at'] is not None and $header_timeout - 0.5 <= r['slowloris']['closed_at'] <= $header_timeout + 2"
    check "20 KiB and 200 KiB request headers get 431" \
        holds "$c" 'all(v.split()[1:2] == ["431"] for v in r["oversized_headers"].values())'
    check "no more than MAX_CONNECTIONS=$max_connections connections are served at once" \
        holds "$c" "r['cap']['statuses'].get('200', 0) <= $max_connections"
    check "connections past MAX_CONNECTIONS get 503 with Retry-After" \
        holds "$c" 'r["cap"]["statuses"].get("503", 0) >= 20 and r["cap"]["refusals_with_retry_after"] == r["cap"]["statuses"]["503"] and set(r["cap"]["statuses"]) <= {"200", "503"}'
    check "a new connection is served once the others close" holds "$c" 'r["cap"]["served_afterwards"] == 200'
    stop_server "$server"
else
    check "the API starts on SQLite with IDLE_TIMEOUT=$idle_timeout" false
fi

part "6. the API SIGKILLed under write load on SQLite, then restarted"
port=$(free_port)
sqlite="$work/fault.sqlite"
if start_server api-sqlite "$port" SQLITE_PATH="$sqlite"; then
    api=$server
    "${fault[@]}" users --port "$port" --count 4 --prefix writer --out "$work/users-sqlite.json"
    if sigkill_and_restart sqlite SQLite "$port" 2 SQLITE_PATH="$sqlite"; then
        "${fault[@]}" verify --port "$port" --users "$work/users-sqlite.json" --acks "$work/acks-kill-sqlite.json" \
            --out "$work/verify-sqlite.json"
        check "every acknowledged write is readable with its title, none lost (SQLite)" \
            holds "$work/verify-sqlite.json" 'r["acknowledged"] > 0 and r["lost"] == 0 and r["changed"] == 0 and not r["errors"]'
        stop_server "$server"
    fi
else
    check "the API starts on SQLite" false
fi

echo "== done in $(($(date +%s) - began)) s" >&2
"${fault[@]}" table --work "$work"
echo "fault: $passed passed, $failed failed"
[ "$failed" = 0 ]
