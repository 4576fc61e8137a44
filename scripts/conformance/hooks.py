"""schemathesis hooks for the Task API conformance run (loaded through SCHEMATHESIS_HOOKS).

scripts/conformance-test.sh passes the server and the conformance user through the environment:
CONFORMANCE_BASE_URL, CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD.
"""

import json
import os
import threading
import time

import requests
import schemathesis

# A new password's limits (UserCreate.password, PasswordChange.new_password): in bytes of UTF-8 to the server.
PASSWORD_MIN, PASSWORD_MAX = 6, 72
NEW_PASSWORD_FIELDS = {"createUser": "password", "changePassword": "new_password"}
# The longest Retry-After worth waiting for; a longer per-username wait moves on to a fresh user instead.
MAX_RETRY_AFTER_SECONDS = 5
# A token is used for at most this long (access tokens live 30 minutes by default).
TOKEN_MAX_AGE_SECONDS = 300
# Bounds on one token fetch, so a broken server fails the run instead of hanging it.
MAX_FETCH_ATTEMPTS = 12
FETCH_DEADLINE_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 10


@schemathesis.hook
def filter_body(ctx, body):
    """Skips the bodies the server rightly judges differently from what schemathesis validated.

    A pair of surrogate code points in a generated string is invalid to schemathesis's validator, yet the JSON
    encoder writes it as the pair escape of one valid character, so the server receives a different, often valid,
    body. And a new password's real limit is 6 to 72 bytes of UTF-8 (bcrypt's), which JSON Schema cannot state:
    minLength and maxLength count characters. So a password of at most 72 characters but more than 72 bytes is
    schema-valid yet rightly refused with 422, and one of fewer than 6 characters but at least 6 bytes is
    schema-invalid yet rightly accepted. Every other body is generated as usual.
    """
    if not isinstance(body, (dict, list)):
        return True
    try:
        if json.loads(json.dumps(body)) != body:
            return False
    except (TypeError, ValueError):
        return True
    operation_id = ctx.operation.definition.raw.get("operationId") if ctx.operation is not None else None
    field = NEW_PASSWORD_FIELDS.get(operation_id)
    password = body.get(field) if field is not None and isinstance(body, dict) else None
    if not isinstance(password, str):
        return True
    characters = len(password)
    size = len(password.encode("utf-8", "surrogatepass"))
    return (PASSWORD_MIN <= characters <= PASSWORD_MAX) == (PASSWORD_MIN <= size <= PASSWORD_MAX)


def _environment(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: scripts/conformance-test.sh sets it for this hook")
    return value


def _is_public(ctx):
    """Whether the operation declares `security: []` (registration, login, refresh, health): it gets no token."""
    return ctx.operation.definition.raw.get("security") == []


# refresh_interval=0: schemathesis asks `get` for every request and the provider keeps the token itself, so that
# the after_call hook below can drop it after a 401 in any phase. In the examples, coverage and fuzzing phases a 401
# to an authenticated request (the default retry_on) also makes schemathesis fetch a token at once and replay the
# request; the stateful phase does not replay, so there the next request gets the new token.
@schemathesis.auth(refresh_interval=0).skip_for(_is_public)
class ConformanceUserAuth:
    """A bearer token for the conformance user, from POST /auth/login.

    The fuzzer is free to end this session (POST /auth/logout, DELETE /users/me/sessions[/{id}]), so a 401 with
    the token drops it and the next request logs in again. The fuzzer may also delete the account (DELETE
    /users/me) or change its password (PUT /users/me/password), and its wrong passwords for this user's password
    checks lock the username out for a wait that doubles up to 15 minutes. So a failed login registers the user
    again; a name that is taken (its password was changed) or has to wait longer than MAX_RETRY_AFTER_SECONDS is
    given up for a fresh one: `<username>-1`, `<username>-2`, ...
    """

    # One token for the run, shared with the after_call hook (schemathesis makes one instance of this class).
    token = None
    fetched_at = 0.0
    generation = 0
    lock = threading.Lock()
    session = requests.Session()

    def get(self, case, context):
        cls = ConformanceUserAuth
        with cls.lock:
            if cls.token is None or time.monotonic() - cls.fetched_at > TOKEN_MAX_AGE_SECONDS:
                cls.token = cls._fetch_token()
                cls.fetched_at = time.monotonic()
            return cls.token

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"

    @classmethod
    def forget(cls, token):
        with cls.lock:
            if cls.token == token:
                cls.token = None

    @classmethod
    def _username(cls):
        base = _environment("CONFORMANCE_USERNAME")
        return base if cls.generation == 0 else f"{base}-{cls.generation}"

    @classmethod
    def _post(cls, path, **kwargs):
        url = _environment("CONFORMANCE_BASE_URL").rstrip("/") + path
        return cls.session.post(url, timeout=REQUEST_TIMEOUT_SECONDS, **kwargs)

    @classmethod
    def _credentials(cls):
        return {"username": cls._username(), "password": _environment("CONFORMANCE_PASSWORD")}

    @classmethod
    def _fetch_token(cls):
        deadline = time.monotonic() + FETCH_DEADLINE_SECONDS
        answers = []
        for _ in range(MAX_FETCH_ATTEMPTS):
            if time.monotonic() > deadline:
                break
            login = cls._post("/auth/login", json=cls._credentials())
            answers.append(f"login {cls._username()}: {login.status_code}")
            if login.status_code == 200:
                return login.json()["access_token"]
            if login.status_code == 401:
                # No such user (never registered, or the fuzzer deleted it) or the password was changed.
                register = cls._post("/users", json=cls._credentials())
                answers.append(f"register {cls._username()}: {register.status_code}")
                if register.status_code == 409:
                    cls.generation += 1  # the name is taken, with a password we no longer know
                elif register.status_code != 201:
                    raise RuntimeError(f"registering {cls._username()}: {register.status_code} {register.text}")
            elif login.status_code == 429:
                # The username must wait (the fuzzer's wrong passwords); an address limit needs RATE_LIMITS=off.
                try:
                    wait = int(login.headers.get("Retry-After", ""))
                except ValueError:
                    wait = MAX_RETRY_AFTER_SECONDS + 1
                if wait <= MAX_RETRY_AFTER_SECONDS:
                    time.sleep(wait)
                else:
                    cls.generation += 1
            else:
                raise RuntimeError(f"logging in as {cls._username()}: {login.status_code} {login.text}")
        raise RuntimeError("no token for the conformance user: " + ", ".join(answers))


@schemathesis.hook
def after_call(context, case, response):
    """Drops the token when a request carrying it answers 401: the fuzzer ended its session or deleted the user."""
    if response.status_code != 401:
        return
    request = getattr(response, "request", None)
    headers = request.headers if request is not None else (case.headers or {})
    authorization = next((value for name, value in headers.items() if name.lower() == "authorization"), None)
    if isinstance(authorization, str) and authorization.startswith("Bearer "):
        ConformanceUserAuth.forget(authorization[len("Bearer "):])
