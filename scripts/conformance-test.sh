#!/usr/bin/env bash
# Contract conformance: schemathesis fuzzes the live server, built from this tree, against the /openapi.json it
# serves, with every check on and stateful sequences (the document's links) included, authenticated with a
# token from /auth/login that scripts/conformance/hooks.py fetches again whenever the fuzzer has ended its session
# (a 401), registering the user again if the fuzzer deleted it. Time-bounded: CONFORMANCE_SECONDS (default 60) per
# run. The server runs with RATE_LIMITS=off, since the fuzzer registers many users from one address.
# Usage: scripts/conformance-test.sh path/to/TaskAPIServer   (set DATABASE_URL to run it on PostgreSQL)
set -euo pipefail
binary="$(realpath "$1")"
cd "$(dirname "$0")/.."
seconds="${CONFORMANCE_SECONDS:-60}"
database="${DATABASE_URL:+PostgreSQL}"
database="${database:-SQLite}"

venv=.venv-conformance
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/conformance/requirements.txt
fi

work="$(mktemp -d /tmp/taskapi-conformance.XXXXXX)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
SQLITE_PATH="$work/conformance.sqlite" BCRYPT_COST=4 LOG_LEVEL=error RATE_LIMITS=off \
    "$binary" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
    curl -sf --max-time 2 "$base/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
done

# The hook logs in as this run's own user, registering it first when needed. The fuzzer's wrong passwords (password
# change, account deletion) lock its name out for ever longer; the hook then moves on to a fresh name.
export CONFORMANCE_BASE_URL="$base" CONFORMANCE_PASSWORD="conformance-password"
CONFORMANCE_USERNAME="conformance-$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
export CONFORMANCE_USERNAME

echo "schemathesis on $database: every check, all phases, ${seconds}s" >&2
PYTHONPATH=scripts/conformance SCHEMATHESIS_HOOKS=hooks "$venv/bin/schemathesis" \
    --config-file scripts/conformance/schemathesis.toml run "$base/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful --max-time "$seconds" \
    --suppress-health-check too_slow,filter_too_much --no-color >"$work/report.txt" 2>&1 && status=0 || status=$?
# The summary when all is well; every failure, with its curl reproduction, when not.
if [ "$status" = 0 ]; then sed -n '/SUMMARY/,$p' "$work/report.txt"; else cat "$work/report.txt"; fi
echo "conformance-$database: $([ "$status" = 0 ] && echo '1 passed, 0 failed' || echo '0 passed, 1 failed')"
exit "$status"
