"""schemathesis hooks for the Task API conformance run (loaded through SCHEMATHESIS_HOOKS).

scripts/conformance-test.sh passes the server and the conformance user through the environment:
CONFORMANCE_BASE_URL, CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD.
"""

import os
import threading
import time

import requests
import schemathesis

BCRYPT_MAX_BYTES = 72
# The longest Retry-After worth waiting for; a longer per-username wait moves on to a fresh user instead.
MAX_RETRY_AFTER_SECONDS = 5
# Bounds on one token fetch, so a broken server fails the run instead of hanging it.
MAX_FETCH_ATTEMPTS = 12
FETCH_DEADLINE_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 10


@schemathesis.hook
def filter_body(ctx, body):
    """Skips passwords of at most 72 characters but more than 72 UTF-8 bytes.

    The contract's real limit is bcrypt's 72 bytes, which JSON Schema cannot state (maxLength counts characters),
    so such a password is schema-valid yet rightly refused with 422. Every other body is generated as usual.
    """
    if not isinstance(body, dict):
        return True
    password = body.get("password")
    if not isinstance(password, str):
        return True
    return len(password) > BCRYPT_MAX_BYTES or len(password.encode("utf-8", "surrogatepass")) <= BCRYPT_MAX_BYTES


def _environment(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: scripts/conformance-test.sh sets it for this hook")
    return value


def _is_public(ctx):
    """Whether the operation declares `security: []` (registration, login, refresh, health): it gets no token."""
    return ctx.operation.definition.raw.get("security") == []


# Cached for 300 s (refresh_interval); a 401 (the default retry_on) to an authenticated request fetches a new token
# and replays the request once.
@schemathesis.auth().skip_for(_is_public)
class ConformanceUserAuth:
    """A bearer token for the conformance user, from POST /auth/login.

    The fuzzer is free to end this session (POST /auth/logout, DELETE /users/me/sessions[/{id}]), so schemathesis
    calls `get` again whenever an authenticated request answers 401, and replays the request with the new token.
    It may also delete the account (DELETE /users/me) or change its password (PUT /users/me/password), and its
    wrong passwords for this user's password checks lock the username out for a wait that doubles up to 15
    minutes. So a failed login registers the user again; a name that is taken (its password was changed) or has
    to wait longer than MAX_RETRY_AFTER_SECONDS is given up for a fresh one: `<username>-1`, `<username>-2`, ...
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = 0
        self._session = requests.Session()

    @property
    def username(self):
        base = _environment("CONFORMANCE_USERNAME")
        return base if self._generation == 0 else f"{base}-{self._generation}"

    def _post(self, path, **kwargs):
        return self._session.post(
            _environment("CONFORMANCE_BASE_URL").rstrip("/") + path, timeout=REQUEST_TIMEOUT_SECONDS, **kwargs
        )

    def _credentials(self):
        return {"username": self.username, "password": _environment("CONFORMANCE_PASSWORD")}

    def get(self, case, context):
        with self._lock:
            return self._fetch_token()

    def _fetch_token(self):
        deadline = time.monotonic() + FETCH_DEADLINE_SECONDS
        answers = []
        for _ in range(MAX_FETCH_ATTEMPTS):
            if time.monotonic() > deadline:
                break
            login = self._post("/auth/login", json=self._credentials())
            answers.append(f"login {self.username}: {login.status_code}")
            if login.status_code == 200:
                return login.json()["access_token"]
            if login.status_code == 401:
                # No such user (never registered, or the fuzzer deleted it) or the password was changed.
                register = self._post("/users", json=self._credentials())
                answers.append(f"register {self.username}: {register.status_code}")
                if register.status_code == 409:
                    self._generation += 1  # the name is taken with a password we no longer know
                elif register.status_code != 201:
                    raise RuntimeError(f"registering {self.username} answered {register.status_code}: {register.text}")
            elif login.status_code == 429:
                # The username must wait (wrong passwords from the fuzzer); an address limit needs RATE_LIMITS=off.
                try:
                    wait = int(login.headers.get("Retry-After", ""))
                except ValueError:
                    wait = MAX_RETRY_AFTER_SECONDS + 1
                if wait <= MAX_RETRY_AFTER_SECONDS:
                    time.sleep(wait)
                else:
                    self._generation += 1
            else:
                raise RuntimeError(f"logging in as {self.username} answered {login.status_code}: {login.text}")
        raise RuntimeError("no token for the conformance user: " + ", ".join(answers))

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
