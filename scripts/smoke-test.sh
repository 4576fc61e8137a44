#!/usr/bin/env bash
# Drives the built server binary the way the README does: refusing bad configuration, migrate / revert
# (idempotent, non-interactive), then serve and the evaluator's walk-through (scripts/walkthrough.sh) over real
# HTTP on 127.0.0.1, then a clean stop on SIGTERM.
# Usage: scripts/smoke-test.sh path/to/TaskAPIServer   (set DATABASE_URL to run it on PostgreSQL)
set -uo pipefail
binary="$(realpath "$1")"
work="$(mktemp -d /tmp/taskapi-smoke.XXXXXX)"
database="${DATABASE_URL:+PostgreSQL}"
database="${database:-SQLite}"
export SQLITE_PATH="$work/smoke.sqlite" BCRYPT_COST=4 LOG_LEVEL=warning
unset JWT_SECRET VAPOR_ENV
passed=0
failed=0
server=""

check() { # check DESCRIPTION COMMAND...: one named assertion
    local description="$1"
    shift
    if "$@" >>"$work/checks.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL ($database): $description" >&2
    fi
}
fails_naming() { # fails_naming VARIABLE COMMAND...: the command exits non-zero and its output names VARIABLE
    local variable="$1"
    shift
    # Bounded: a server that wrongly starts is killed, and the check fails instead of hanging.
    ! timeout 20 "$@" >"$work/out.log" 2>&1 && grep -q "$variable" "$work/out.log"
}
fails() { ! "$@" >/dev/null 2>&1; }
expect_http() { # expect_http STATUS BODY-OR-EMPTY CURL-ARGS...
    local status="$1" body="$2"
    shift 2
    local got
    got="$(curl -s --max-time 10 -o "$work/body" -w '%{http_code}' "$@")" || return 1
    [ "$got" = "$status" ] || { echo "status $got != $status: $(cat "$work/body")"; return 1; }
    [ -z "$body" ] || [ "$(cat "$work/body")" = "$body" ] || { echo "body $(cat "$work/body") != $body"; return 1; }
}
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

check "production without JWT_SECRET refuses to start" fails_naming JWT_SECRET env VAPOR_ENV=production "$binary" serve
check "a short JWT_SECRET refuses to start" fails_naming JWT_SECRET env JWT_SECRET=short "$binary" serve
check "a bad PORT refuses to start" fails_naming PORT env PORT=eighty "$binary" serve
mkdir "$work/dotenv" && echo "ACCESS_TOKEN_EXPIRE_MINUTES=never" >"$work/dotenv/.env"
check "a .env file is read and validated" fails_naming ACCESS_TOKEN_EXPIRE_MINUTES env -C "$work/dotenv" "$binary" serve
check "migrate --yes applies the schema" "$binary" migrate --yes
check "migrate --yes again is a no-op" "$binary" migrate --yes
check "migrate --revert --yes reverts" "$binary" migrate --revert --yes
check "migrate --revert --yes again is a no-op" "$binary" migrate --revert --yes

# The original's Alembic commands, through deploy/alembic as the image installs it.
alembic_script="$(realpath "$(dirname "$0")/../deploy/alembic")"
alembic() { TASKAPI_SERVER="$binary" "$alembic_script" "$@"; }
prints() { # prints TEXT COMMAND...: the command succeeds and its output holds TEXT
    local text="$1"
    shift
    "$@" >"$work/out.log" 2>&1 && grep -q -- "$text" "$work/out.log"
}
current_is() { # current_is REVISION-OR-EMPTY: what `alembic current` prints, warnings aside
    [ "$(alembic current 2>/dev/null | grep -v WARNING)" = "$1" ]
}
check "alembic upgrade head applies every migration" alembic upgrade head
check "alembic current names the head revision" current_is "0005_ids_never_reused (head)"
check "alembic upgrade head again is a no-op" prints "No new migrations" alembic upgrade head
check "alembic history lists every revision" prints "<base> -> 0001_users" alembic history
check "alembic downgrade -1 reverts one revision" alembic downgrade -1
check "alembic current then names the revision before" current_is 0004_throttle_counters
check "alembic downgrade base reverts the rest" prints "Reverted 0001_users" alembic downgrade base
check "alembic current after base names none" current_is ""
check "alembic revision --autogenerate explains and exits 0" prints "versioned in the code" \
    alembic revision --autogenerate -m "Initial migration"
check "an unknown alembic command is refused" fails alembic stamp head

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
started=$(date +%s%N)
"$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
    curl -sf --max-time 2 "$base/health" >/dev/null 2>&1 && break
    sleep 0.1
done
echo "server answered /health $((($(date +%s%N) - started) / 1000000)) ms after launch (migrations included)" >&2

check "serve migrated the schema itself (AUTO_MIGRATE)" expect_http 200 '{"status":"ok"}' "$base/health/ready"
check "the README walk-through over HTTP" "$(dirname "$0")/walkthrough.sh" "$base"

stopping=$(date +%s%N)
kill -TERM "$server"
check "SIGTERM stops the server within 10 s" timeout 10 tail -s 0.05 --pid="$server" -f /dev/null
check "the server exits with status 0 after SIGTERM" wait "$server"
server=""
echo "server stopped $((($(date +%s%N) - stopping) / 1000000)) ms after SIGTERM" >&2
check "migrate --revert --yes after serving" "$binary" migrate --revert --yes

echo "smoke-$database: $passed passed, $failed failed"
[ "$failed" = 0 ]
