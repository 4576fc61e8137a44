#!/usr/bin/env bash
# Three replicas of the built server behind nginx, on one throwaway PostgreSQL, with no Docker: the shape of
# docker-compose.replicas.yml on 127.0.0.1. It migrates once, starts the replicas with AUTO_MIGRATE=false and one
# shared JWT_SECRET, puts Debian's nginx in front (round robin, retrying the next replica on error, timeout or
# 503, as deploy/nginx/replicas.conf does), then checks through the single nginx address that requests are
# spread over every replica, that a user's session, tasks, logout and login wait hold whichever replica
# answers, and that stopping one replica leaves every request answered.
# Usage: scripts/replicas-test.sh path/to/TaskAPIServer   (needs PostgreSQL's server binaries and nginx)
#        REPLICAS_VERBOSE=1 scripts/replicas-test.sh ...    also prints every check's output
set -uo pipefail

# The whole run is bounded: past 600 s, `timeout` sends SIGTERM and the trap below still cleans up.
if [ -z "${REPLICAS_TEST_BOUNDED:-}" ]; then
    REPLICAS_TEST_BOUNDED=1 exec timeout --foreground -k 60 600 bash "$0" "$@"
fi
[ $# -ge 1 ] || { echo "usage: $0 path/to/TaskAPIServer" >&2; exit 2; }
[ -x "$1" ] || { echo "no server binary at $1" >&2; exit 2; }

scripts="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$scripts")"
nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || [ ! -x /usr/sbin/nginx ] || nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ]; then
    echo "nginx not found: install it (apt-get install nginx) or set SKIP_REPLICAS=1." >&2
    exit 1
fi

work="$(mktemp -d /tmp/taskapi-replicas.XXXXXX)"
# nginx's workers run as an unprivileged user when it is started as root: they must reach the temp paths below.
chmod 711 "$work"
# Every replica runs this one copy, even if a rebuild replaces the original meanwhile.
cp "$(realpath "$1")" "$work/TaskAPIServer" || { rm -rf "$work"; exit 1; }
binary="$work/TaskAPIServer"
passed=0
failed=0
replica_pids=()
nginx_pid=""

source "$scripts/postgres.sh"

stop_processes() { # stop_processes SIGNAL PID...: signals them all, then waits up to 15 s before SIGKILL
    local signal="$1" pid
    shift
    for pid in "$@"; do kill "-$signal" "$pid" 2>/dev/null; done
    for pid in "$@"; do
        timeout 15 tail -s 0.05 --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
}
cleanup() {
    local pids=() pid
    # nginx stops gracefully on SIGQUIT; the replicas on SIGTERM.
    [ -z "$nginx_pid" ] || stop_processes QUIT "$nginx_pid"
    for pid in "${replica_pids[@]}"; do [ -z "$pid" ] || pids+=("$pid"); done
    [ ${#pids[@]} = 0 ] || stop_processes TERM "${pids[@]}"
    stop_postgres
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

check() { # check DESCRIPTION COMMAND...: one named assertion
    local description="$1"
    shift
    echo "== $description" >>"$work/checks.log"
    if "$@" >>"$work/checks.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL (replicas): $description" >&2
    fi
}

free_ports() { # free_ports N: N distinct free TCP ports on 127.0.0.1
    python3 -c 'import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))' "$1"
}

# request NAME METHOD URL [CURL-ARGS...]: the status goes to stdout, the body to $work/NAME.body and the
# headers to $work/NAME.headers. Never longer than 10 s.
request() {
    local name="$1" method="$2" url="$3"
    shift 3
    curl -s --max-time 10 -X "$method" -o "$work/$name.body" -D "$work/$name.headers" -w '%{http_code}' "$@" "$url" ||
        true
}
header() { # header NAME HEADER: a response header's value
    tr -d '\r' <"$work/$1.headers" | awk -v h="$(echo "$2" | tr '[:upper:]' '[:lower:]')" -F': ' \
        'tolower($1) == h { print substr($0, length($1) + 3) }' | tail -n 1
}
json() { # json NAME PYTHON-EXPRESSION: evaluates the expression on the body, parsed as `b`
    python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/$1.body" "$2"
}
served_by() { # served_by REQUEST-ID: the replica (1 to 3) whose access line has this request id, else 0
    local i
    for i in 1 2 3; do
        grep -q "request-id: $1, " "$work/replica$i.log" && { echo "$i"; return; }
    done
    echo 0
}
wait_for() { # wait_for URL: until it answers 200, at most 30 s
    local _
    for _ in $(seq 1 300); do
        [ "$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}
json_body() { # json_body KEY VALUE ...: a JSON object of string values
    python3 -c 'import json, sys; a = sys.argv[1:]; print(json.dumps(dict(zip(a[::2], a[1::2]))))' "$@"
}

start_postgres || exit 1
read -r port1 port2 port3 nginx_port <<<"$(free_ports 4)"
ports=("" "$port1" "$port2" "$port3")
proxy="http://127.0.0.1:$nginx_port"
direct() { echo "http://127.0.0.1:${ports[$1]}"; }

# What docker-compose.replicas.yml gives every replica, on loopback.
export DATABASE_URL="$TEST_POSTGRES_URL" AUTO_MIGRATE=false VAPOR_ENV=production BCRYPT_COST=4 LOG_LEVEL=info \
    LOG_FORMAT=text TRUSTED_PROXIES=127.0.0.1 LOGIN_LOCKOUT_THRESHOLD=5 RATE_LIMITS=on
JWT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export JWT_SECRET
unset SQLITE_PATH LOGIN_LOCKOUT_MAX_SECONDS ADDRESS_LOGIN_FAILURE_LIMIT ADDRESS_REGISTRATION_LIMIT JWT_ISSUER \
    JWT_AUDIENCE ACCESS_TOKEN_EXPIRE_MINUTES

# ---- Start-up: migrate once, then three replicas that do not migrate, then nginx.
check "migrate --yes applies the schema once, before any replica starts" \
    env -C "$work" "$binary" migrate --yes
for i in 1 2 3; do
    (cd "$work" && exec "$binary" serve --hostname 127.0.0.1 --port "${ports[$i]}") >"$work/replica$i.log" 2>&1 &
    replica_pids[i]=$!
done
for i in 1 2 3; do
    check "replica $i answers /health/ready on its own port" wait_for "$(direct "$i")/health/ready"
done

mkdir -p "$work/nginx"
# The proxy settings of deploy/nginx/replicas.conf, with the three replicas listed instead of Docker's DNS name.
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events {
    worker_connections 256;
}
http {
    client_body_temp_path $work/nginx/client_body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;

    upstream task_api {
        zone task_api 64k;
        server 127.0.0.1:$port1 max_fails=1 fail_timeout=10s;
        server 127.0.0.1:$port2 max_fails=1 fail_timeout=10s;
        server 127.0.0.1:$port3 max_fails=1 fail_timeout=10s;
        keepalive 32;
        keepalive_timeout 50s;
    }
    map \$http_x_request_id \$task_api_request_id {
        "~^[A-Za-z0-9._-]{1,128}\$" \$http_x_request_id;
        default \$request_id;
    }
    log_format task_api '\$remote_addr "\$request" \$status upstream=\$upstream_addr '
                        'upstream_status=\$upstream_status request_id=\$task_api_request_id';
    access_log $work/nginx/access.log task_api;

    server {
        listen 127.0.0.1:$nginx_port;
        client_max_body_size 2m;
        location / {
            proxy_pass http://task_api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Request-ID \$task_api_request_id;
            proxy_hide_header X-Request-ID;
            add_header X-Request-ID \$task_api_request_id always;
            proxy_next_upstream error timeout http_503;
            proxy_next_upstream_tries 3;
            proxy_next_upstream_timeout 10s;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_send_timeout 30s;
        }
    }
}
EOF
nginx_args=(-p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf")
check "the test's nginx.conf passes nginx -t" "$nginx_bin" -t "${nginx_args[@]}"
"$nginx_bin" "${nginx_args[@]}" >>"$work/nginx/stderr.log" 2>&1 &
nginx_pid=$!
check "nginx answers /health/ready for the replicas" wait_for "$proxy/health/ready"

# The shipped configuration: in the http block of a minimal nginx.conf, with the Docker service name replaced by
# 127.0.0.1 (nothing resolves `api` here) and, on nginx older than 1.27.3, without `resolve`.
shipped_config_is_valid() {
    local dir="$work/nginx-shipped" version
    mkdir -p "$dir"
    version="$("$nginx_bin" -v 2>&1 | sed -n 's|.*nginx/\([0-9.]*\).*|\1|p')"
    # `resolve` in an upstream's server line is in open-source nginx from 1.27.3 on.
    if [ "$(printf '1.27.3\n%s\n' "$version" | sort -V | head -n 1)" = 1.27.3 ]; then
        sed -e 's/server api:8000 /server 127.0.0.1:8000 /' "$root/deploy/nginx/replicas.conf"
    else
        sed -e 's/server api:8000 resolve /server 127.0.0.1:8000 /' "$root/deploy/nginx/replicas.conf"
    fi | sed -e "s|/var/log/nginx/|$dir/|" >"$dir/replicas.conf"
    grep -q 'server 127.0.0.1:8000 ' "$dir/replicas.conf" || { echo "no 'server api:8000' line to replace"; return 1; }
    printf 'pid %s/nginx.pid;\nevents {}\nhttp {\n    include %s/replicas.conf;\n}\n' "$dir" "$dir" >"$dir/nginx.conf"
    "$nginx_bin" -t -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf"
}
check "deploy/nginx/replicas.conf passes nginx -t" shipped_config_is_valid

# ---- Requests are spread over every replica, and the request id travels with them.
spread_all_ok() {
    local n status
    for n in $(seq 1 30); do
        status="$(request spread GET "$proxy/health" -H "X-Request-ID: spread-$n")"
        [ "$status" = 200 ] || { echo "request $n: $status"; return 1; }
        [ "$(header spread X-Request-ID)" = "spread-$n" ] || { echo "request $n: X-Request-ID $(header spread X-Request-ID)"; return 1; }
    done
}
check "30 requests through nginx answer 200, each with the X-Request-ID it sent" spread_all_ok
spread_over_replicas() { # spread_over_replicas PREFIX COUNT MINIMUM: each replica served >= MINIMUM of them
    local prefix="$1" count="$2" minimum="$3" n
    local served=(0 0 0 0) replica
    for n in $(seq 1 "$count"); do
        replica="$(served_by "$prefix-$n")"
        served[replica]=$((served[replica] + 1))
    done
    echo "$prefix: replica 1 served ${served[1]}, replica 2 ${served[2]}, replica 3 ${served[3]}, none ${served[0]}"
    [ "${served[1]}" -ge "$minimum" ] && [ "${served[2]}" -ge "$minimum" ] && [ "${served[3]}" -ge "$minimum" ]
}
check "the 30 requests were spread over all three replicas (at least 5 each)" spread_over_replicas spread 30 5
nginx_request_id_is_logged() {
    local status id
    status="$(request noid GET "$proxy/health")"
    id="$(header noid X-Request-ID)"
    echo "status $status, X-Request-ID $id"
    [ "$status" = 200 ] && [[ "$id" =~ ^[0-9a-f]{32}$ ]] && [ "$(served_by "$id")" != 0 ] || return 1
    # nginx writes its access line once the response is sent, so it may lag the answer a little.
    local _
    for _ in $(seq 1 20); do
        grep -q "request_id=$id" "$work/nginx/access.log" && return 0
        sleep 0.1
    done
    return 1
}
check "without X-Request-ID nginx makes one, and the replica and nginx both log it" nginx_request_id_is_logged

# ---- One user's session works whichever replica answers.
suffix="$(date +%s%N | tail -c 7)"
alice="alice_$suffix"
check "a user registers through nginx (201)" \
    test "$(request register POST "$proxy/users" -H 'Content-Type: application/json' \
        -d "$(json_body username "$alice" password alice-secret)")" = 201
log_in() { # log_in NAME USERNAME PASSWORD [URL]: logs in; the body is in $work/NAME.body
    test "$(request "$1" POST "${4:-$proxy}/auth/login" -H 'Content-Type: application/json' \
        -d "$(json_body username "$2" password "$3")")" = 200
}
check "the user logs in through nginx" log_in alice_login "$alice" alice-secret
alice_token="$(json alice_login 'b["access_token"]' 2>/dev/null)"
alice_session_works() {
    local n status
    for n in $(seq 1 12); do
        if [ $((n % 2)) = 1 ]; then
            status="$(request me GET "$proxy/users/me" -H "Authorization: Bearer $alice_token" -H "X-Request-ID: flow-$n")"
            [ "$status" = 200 ] && [ "$(json me 'b["username"]')" = "$alice" ] || { echo "request $n: $status"; return 1; }
        else
            status="$(request task POST "$proxy/tasks" -H "Authorization: Bearer $alice_token" \
                -H 'Content-Type: application/json' -H "X-Request-ID: flow-$n" -d "{\"title\":\"flow $n\"}")"
            [ "$status" = 201 ] || { echo "request $n: $status"; return 1; }
        fi
    done
}
check "12 requests with the token (GET /users/me, POST /tasks) through nginx all succeed" alice_session_works
check "those 12 requests were answered by all three replicas" spread_over_replicas flow 12 1

# ---- Tasks written through every replica read back the same from every replica.
bob="bob_$suffix"
request register_bob POST "$proxy/users" -H 'Content-Type: application/json' \
    -d "$(json_body username "$bob" password bob-secret)" >/dev/null
check "a second user logs in through nginx" log_in bob_login "$bob" bob-secret
bob_token="$(json bob_login 'b["access_token"]' 2>/dev/null)"
: >"$work/created"
create_thirty() {
    local n status
    for n in $(seq 1 30); do
        status="$(request created POST "$proxy/tasks" -H "Authorization: Bearer $bob_token" \
            -H 'Content-Type: application/json' -H "X-Request-ID: create-$n" -d "{\"title\":\"task $n\"}")"
        [ "$status" = 201 ] || { echo "create $n: $status"; return 1; }
        echo "$(json created 'b["id"]') task $n" >>"$work/created"
    done
}
check "30 tasks created through nginx (201 each)" create_thirty
check "the 30 creates were written through all three replicas" spread_over_replicas create 30 5
expected_ids="$(cut -d' ' -f1 "$work/created" | sort -n | tr '\n' ' ')"
lists_the_thirty() { # lists_the_thirty BASE-URL TIMES: GET /tasks returns exactly the 30, every time
    local n status ids
    for n in $(seq 1 "$2"); do
        status="$(request list GET "$1/tasks?limit=1000" -H "Authorization: Bearer $bob_token")"
        [ "$status" = 200 ] || { echo "read $n: $status"; return 1; }
        ids="$(json list '" ".join(str(i) for i in sorted(t["id"] for t in b)) + " "')"
        [ "$ids" = "$expected_ids" ] || { echo "read $n: ids $ids != $expected_ids"; return 1; }
        [ "$(header list X-Total-Count)" = 30 ] || { echo "read $n: X-Total-Count $(header list X-Total-Count)"; return 1; }
    done
}
check "GET /tasks through nginx returns the same 30 tasks, 12 times" lists_the_thirty "$proxy" 12
reads_each_task() {
    local id title status
    while read -r id title; do
        status="$(request one GET "$proxy/tasks/$id" -H "Authorization: Bearer $bob_token")"
        [ "$status" = 200 ] && [ "$(json one 'b["title"]')" = "$title" ] || { echo "task $id: $status"; return 1; }
    done <"$work/created"
}
check "each of the 30 tasks, read by id through nginx, has its title" reads_each_task
for i in 1 2 3; do
    check "replica $i, asked directly, lists the same 30 tasks" lists_the_thirty "$(direct "$i")" 1
done

# ---- Logout ends the session on every replica at once.
check "a second session for the first user (login through nginx)" log_in alice_second "$alice" alice-secret
second_token="$(json alice_second 'b["access_token"]' 2>/dev/null)"
me_status() { request me_check GET "$1/users/me" -H "Authorization: Bearer $2"; }
before_logout() {
    local i
    for i in 1 2 3; do
        [ "$(me_status "$(direct "$i")" "$second_token")" = 200 ] || { echo "replica $i refused the token"; return 1; }
    done
}
check "before logout the token works on every replica directly" before_logout
check "POST /auth/logout through nginx answers 204" \
    test "$(request logout POST "$proxy/auth/logout" -H "Authorization: Bearer $second_token")" = 204
for i in 1 2 3; do
    check "after logout the token gets 401 on replica $i directly" test "$(me_status "$(direct "$i")" "$second_token")" = 401
done
refused_through_nginx() {
    local n status
    for n in $(seq 1 6); do
        status="$(me_status "$proxy" "$second_token")"
        [ "$status" = 401 ] || { echo "attempt $n: $status"; return 1; }
    done
}
check "after logout the token gets 401 through nginx, 6 times out of 6" refused_through_nginx
check "the user's other session still works through nginx" test "$(me_status "$proxy" "$alice_token")" = 200

# ---- The login wait is shared: failures counted on any replica lock the name on all of them.
# After 5 failures the name waits 1 s, so the three replicas are asked at once, right after the fifth failure. If
# more than 0.9 s passed before they answered (a very busy machine), the wait may have ended on its own: the
# attempt is repeated with a new name, at most 3 times, and only the last attempt is judged.
five_wrong() { # five_wrong USERNAME: 5 wrong passwords through nginx, each 401
    local n status
    for n in $(seq 1 5); do
        status="$(request wrong POST "$proxy/auth/login" -H 'Content-Type: application/json' \
            -H "X-Request-ID: wrong-$1-$n" -d "$(json_body username "$1" password not-the-password)")"
        [ "$status" = 401 ] || { echo "attempt $n: $status"; return 1; }
    done
}
lockout_attempt() { # lockout_attempt USERNAME: registers it, fails 5 times, then asks each replica at once
    local name="$1" i started lock_pids=() right_password
    request register_locked POST "$proxy/users" -H 'Content-Type: application/json' \
        -d "$(json_body username "$name" password right-secret)" >/dev/null
    five_wrong "$name" >"$work/five_wrong.out" 2>&1
    echo $? >"$work/five_wrong.status"
    right_password="$(json_body username "$name" password right-secret)"
    started=$(date +%s%N)
    for i in 1 2 3; do
        curl -s --max-time 10 -o /dev/null -D "$work/locked$i.headers" -w '%{http_code}' -X POST \
            -H 'Content-Type: application/json' -d "$right_password" "$(direct "$i")/auth/login" \
            >"$work/locked$i.status" 2>/dev/null &
        lock_pids+=($!)
    done
    wait "${lock_pids[@]}"
    lock_elapsed_ms=$((($(date +%s%N) - started) / 1000000))
}
for attempt in 1 2 3; do
    locked_name="carol${attempt}_$suffix"
    lockout_attempt "$locked_name"
    [ "$(cat "$work/locked1.status" "$work/locked2.status" "$work/locked3.status")" = 429429429 ] && break
    [ "$lock_elapsed_ms" -gt 900 ] || break
    echo "login wait: the replicas answered after $lock_elapsed_ms ms; trying again with a new name" >&2
done
check "5 wrong passwords through nginx each get 401" bash -c "cat '$work/five_wrong.out'; exit \$(cat '$work/five_wrong.status')"
failures_spread() {
    local n replicas=""
    for n in 1 2 3 4 5; do replicas="$replicas $(served_by "wrong-$locked_name-$n")"; done
    echo "the 5 failures were answered by replicas:$replicas"
    [[ "$replicas" == *1* && "$replicas" == *2* && "$replicas" == *3* ]]
}
check "the 5 failures were counted on all three replicas" failures_spread
locked_out() {
    local retry_after
    retry_after="$(header "locked$1" Retry-After)"
    echo "status $(cat "$work/locked$1.status"), Retry-After $retry_after, all three answered ${lock_elapsed_ms} ms after the fifth failure"
    [ "$(cat "$work/locked$1.status")" = 429 ] && [[ "$retry_after" =~ ^[1-9][0-9]*$ ]]
}
for i in 1 2 3; do
    check "then the right password gets 429 with Retry-After on replica $i directly" locked_out "$i"
done

# ---- Stopping one replica: nginx retries the next one, and every request is answered.
tasks_total() {
    request total GET "$proxy/tasks?limit=1" -H "Authorization: Bearer $bob_token" >/dev/null
    header total X-Total-Count
}
total_before="$(tasks_total)"
# SIGKILL, as a crash: no graceful shutdown. (The braces keep bash's "Killed" job notice out of the output.)
{
    kill -KILL "${replica_pids[2]}"
    wait "${replica_pids[2]}"
} 2>/dev/null
replica_pids[2]=""
writes_after_stop() {
    local n status total
    for n in $(seq 1 10); do
        status="$(request after_post POST "$proxy/tasks" -H "Authorization: Bearer $bob_token" \
            -H 'Content-Type: application/json' -d "{\"title\":\"after stop $n\"}")"
        [ "$status" = 201 ] || { echo "create $n: $status"; return 1; }
    done
    total="$(tasks_total)"
    echo "tasks before: $total_before, after: $total"
    [ "$total" = $((total_before + 10)) ]
}
# POSTs first: round robin sends one of them to the dead replica, and nginx may move a POST only because it
# never reached it (connection refused).
check "with replica 2 killed, 10 POST /tasks through nginx answer 201, each created exactly once" writes_after_stop
reads_after_stop() {
    local n status
    for n in $(seq 1 30); do
        status="$(request after GET "$proxy/users/me" -H "Authorization: Bearer $alice_token" -H "X-Request-ID: after-$n")"
        [ "$status" = 200 ] || { echo "request $n: $status"; return 1; }
    done
}
check "with replica 2 killed, 30 GET /users/me through nginx all answer 200" reads_after_stop
only_survivors_answered() {
    spread_over_replicas after 30 0 && [ "$(grep -c 'request-id: after-' "$work/replica2.log")" = 0 ] &&
        [ "$(( $(grep -c 'request-id: after-' "$work/replica1.log") + $(grep -c 'request-id: after-' "$work/replica3.log") ))" = 30 ]
}
check "the 30 GETs after the stop were answered by replicas 1 and 3 only" only_survivors_answered
check "one of those POSTs met replica 2's refused connection and was moved on (nginx's error log)" \
    grep -q "Connection refused.*request: \"POST /tasks .*upstream: \"http://127.0.0.1:$port2/" "$work/nginx/error.log"

if [ "${REPLICAS_VERBOSE:-0}" = 1 ]; then
    cat "$work/checks.log" >&2
elif [ "$failed" != 0 ]; then
    echo "--- checks ---" >&2
    tail -n 40 "$work/checks.log" >&2
fi
if [ "$failed" != 0 ]; then
    for log in "$work/nginx/error.log" "$work"/replica*.log; do
        echo "--- $log ---" >&2
        tail -n 15 "$log" >&2
    done
fi
echo "replicas: $passed passed, $failed failed"
[ "$failed" = 0 ]
