#!/usr/bin/env bash
# The README's walk-through as a script: the original's six steps with curl against a running server, every answer
# checked. Works on any server (a fresh user each run), e.g. after `docker-compose up`:
#   scripts/walkthrough.sh                         # http://localhost:8000
#   scripts/walkthrough.sh http://127.0.0.1:8080
set -uo pipefail
base="${1:-http://localhost:8000}"
work="$(mktemp -d /tmp/taskapi-walkthrough.XXXXXX)"
trap 'rm -rf "$work"' EXIT
user="walker$(date +%s%N | tail -c 9)"
passed=0
failed=0

step() { # step DESCRIPTION STATUS JSON-CHECK CURL-ARGS...: JSON-CHECK is a Python expression over `body`
    local description="$1" status="$2" assertion="$3"
    shift 3
    local got
    got="$(curl -s --max-time 10 -o "$work/body" -w '%{http_code}' "$@")"
    if [ "$got" = "$status" ] && python3 -c "
import json, sys
text = open('$work/body').read()
body = json.loads(text) if text else None
sys.exit(0 if ($assertion) else 1)" 2>/dev/null; then
        passed=$((passed + 1))
        echo "ok   $description"
    else
        failed=$((failed + 1))
        echo "FAIL $description: HTTP $got $(head -c 300 "$work/body")"
    fi
}
value() { python3 -c "import json; print(json.load(open('$work/body'))['$1'])"; }
json=(-H 'Content-Type: application/json')

step "1. POST /tasks without a token is refused" 401 'body == {"detail": "Not authenticated"}' \
    -X POST "$base/tasks" "${json[@]}" -d '{"title":"Buy milk"}'
step "2. POST /users registers $user" 201 "set(body) == {'id', 'username'} and body['username'] == '$user'" \
    -X POST "$base/users" "${json[@]}" -d "{\"username\":\"$user\",\"password\":\"test123\"}"
step "3. POST /auth/login with the OAuth2 form (Swagger's Authorize)" 200 'body["token_type"] == "bearer"' \
    -X POST "$base/auth/login" -d "grant_type=password&username=$user&password=test123"
step "3. POST /auth/login with JSON" 200 'body["token_type"] == "bearer" and body["expires_in"] > 0' \
    -X POST "$base/auth/login" "${json[@]}" -d "{\"username\":\"$user\",\"password\":\"test123\"}"
auth=(-H "Authorization: Bearer $(value access_token 2>/dev/null)")
step "5. GET /users lists ids and usernames" 200 "any(u['username'] == '$user' for u in body) and all(set(u) == {'id', 'username'} for u in body)" \
    "$base/users" "${auth[@]}"
step "6. POST /tasks creates a task" 201 'body["title"] == "Buy milk" and body["description"] is None and not body["completed"]' \
    -X POST "$base/tasks" "${auth[@]}" "${json[@]}" -d '{"title":"Buy milk"}'
task="$(value id 2>/dev/null)"
step "6. GET /tasks lists it" 200 "[t['id'] for t in body] == [$task]" "$base/tasks" "${auth[@]}"
step "6. GET /tasks/{id} reads it" 200 "body['id'] == $task" "$base/tasks/$task" "${auth[@]}"
step "6. PUT /tasks/{id} replaces it" 200 'body["title"] == "Buy oat milk" and body["completed"]' \
    -X PUT "$base/tasks/$task" "${auth[@]}" "${json[@]}" -d '{"title":"Buy oat milk","completed":true}'
step "6. PATCH /tasks/{id} changes one field" 200 'body["description"] == "2 litres" and body["completed"]' \
    -X PATCH "$base/tasks/$task" "${auth[@]}" "${json[@]}" -d '{"description":"2 litres"}'
step "6. DELETE /tasks/{id} deletes it" 204 'body is None' -X DELETE "$base/tasks/$task" "${auth[@]}"
step "6. GET /tasks/{id} is then 404" 404 'body == {"detail": "Task not found"}' "$base/tasks/$task" "${auth[@]}"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$work/large-body"
step "a body over 1 MiB is refused" 413 'body == {"detail": "Request body is larger than 1048576 bytes"}' \
    -X POST "$base/tasks" "${auth[@]}" "${json[@]}" --data-binary "@$work/large-body"
step "an unknown path is 404" 404 'body == {"detail": "Not Found"}' "$base/nowhere"
step "/openapi.json is the contract" 200 'body["openapi"] == "3.1.0"' "$base/openapi.json"

curl -sf --max-time 10 -o /dev/null "$base/docs" && passed=$((passed + 1)) && echo "ok   /docs answers" ||
    { failed=$((failed + 1)); echo "FAIL /docs"; }
echo "walkthrough: $passed passed, $failed failed"
[ "$failed" = 0 ]
