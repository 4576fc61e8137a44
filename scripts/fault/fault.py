#!/usr/bin/env python3
"""Load generators and measurements for scripts/fault-test.sh (Python 3 standard library only).

Every request goes to 127.0.0.1. Each subcommand writes its measurements as JSON (--out); the shell script
asserts on them, and `table` prints the summary. Subcommands:

  users      register and log in N users, saving their tokens
  outage     write load while PostgreSQL is killed (pg_ctl stop -m immediate) and started again
  writekill  write load, then SIGKILL of the API process
  verify     every acknowledged write (a 201) is readable with the same title
  drain      SIGTERM while logins are in flight
  conns      idle, half-sent and slowloris connections, oversized headers
  table      the summary table
"""

import argparse
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def now():
    return time.monotonic()


def call(port, method, path, body=None, token=None, timeout=10.0, conn=None):
    """One request; returns (status, headers-dict, parsed body or None, conn-to-reuse-or-None)."""
    own = conn is None
    if conn is None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    except Exception:
        conn.close()
        raise
    result_headers = {k.lower(): v for k, v in response.getheaders()}
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    if own or result_headers.get("connection", "").lower() == "close":
        conn.close()
        conn = None
    return response.status, result_headers, parsed, conn


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)


def read_json(path):
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------- users


def cmd_users(args):
    users = []
    for i in range(args.count):
        username = f"{args.prefix}{i}"
        password = "fault-password-" + str(i)
        status, _, body, _ = call(args.port, "POST", "/users", {"username": username, "password": password})
        if status != 201:
            sys.exit(f"registering {username}: {status} {body}")
        status, _, body, _ = call(args.port, "POST", "/auth/login", {"username": username, "password": password})
        if status != 200:
            sys.exit(f"logging in {username}: {status} {body}")
        users.append({"username": username, "password": password, "token": body["access_token"]})
    write_json(args.out, users)


# ---------------------------------------------------------------- write load


class Writers:
    """Threads that create tasks in a loop on keep-alive connections, one user each, recording every answer."""

    def __init__(self, port, users, tag, pause_after_failure=0.01):
        self.port = port
        self.users = users
        self.tag = tag
        self.pause = pause_after_failure
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.results = []  # (start, end, status-or-error, retry_after, thread)
        self.acks = []  # {"id", "title", "user"}
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(len(users))]

    def start(self):
        for thread in self.threads:
            thread.start()

    def finish(self, timeout=15.0):
        self.stop.set()
        deadline = now() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - now()))
        return not any(thread.is_alive() for thread in self.threads)

    def first_success_after(self, instant):
        with self.lock:
            ends = [r[1] for r in self.results if 200 <= _status(r[2]) < 300 and r[1] >= instant]
        return min(ends) if ends else None

    def run(self, index):
        token = self.users[index]["token"]
        conn = None
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            title = f"{self.tag}-{index}-{sequence}"
            start = now()
            retry_after = None
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=10)
                status, headers, body, conn = call(self.port, "POST", "/tasks", {"title": title}, token, conn=conn)
                retry_after = headers.get("retry-after")
            except Exception as error:  # no answer: reset, refused, timeout
                status, body, conn = type(error).__name__, None, None
            end = now()
            with self.lock:
                self.results.append((start, end, status, retry_after, index))
                if status == 201:
                    if not isinstance(body, dict) or body.get("title") != title:
                        self.results.append((start, end, "201-wrong-body", None, index))
                    else:
                        self.acks.append({"id": body["id"], "title": title, "user": index, "at": end,
                                          "seconds": round(end - start, 4)})
            if status != 201:
                time.sleep(self.pause)


def _status(value):
    return value if isinstance(value, int) else 0


def count_by_status(results):
    counts = {}
    for r in results:
        counts[str(r[2])] = counts.get(str(r[2]), 0) + 1
    return dict(sorted(counts.items()))


# ---------------------------------------------------------------- outage


def run_command(path):
    """Runs a small shell script written by fault-test.sh (pg_ctl with the right user and options)."""
    import subprocess

    started = now()
    completed = subprocess.run(["bash", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return started, now(), completed.returncode, completed.stdout.decode(errors="replace")[-2000:]


def cmd_outage(args):
    users = read_json(args.users)
    writers = Writers(args.port, users, "outage")
    writers.start()
    time.sleep(args.warmup)

    monitor = []  # (start, end, what, status, retry_after)
    monitor_stop = threading.Event()

    def watch():
        checks = [
            ("health", "GET", "/health"),
            ("ready", "GET", "/health/ready"),
            ("no_token", "POST", "/tasks"),
            ("openapi", "GET", "/openapi.json"),
        ]
        while not monitor_stop.is_set():
            for what, method, path in checks:
                start = now()
                try:
                    body = {"title": "x"} if method == "POST" else None
                    status, headers, _, _ = call(args.port, method, path, body, timeout=5)
                    retry_after = headers.get("retry-after")
                except Exception as error:
                    status, retry_after = type(error).__name__, None
                monitor.append((start, now(), what, status, retry_after))
            monitor_stop.wait(0.2)

    kill_begin, kill_end, kill_code, kill_output = run_command(args.kill)
    watcher = threading.Thread(target=watch, daemon=True)
    # The monitor starts once pg_ctl says PostgreSQL is gone, and stops before it is started again.
    watcher.start()
    time.sleep(args.outage_seconds)
    monitor_stop.set()
    start_begin, start_end, start_code, start_output = run_command(args.start)
    watcher.join(10)
    # Only what the monitor got while PostgreSQL was down.
    monitor = [m for m in monitor if m[1] < start_begin]

    deadline = start_end + 10
    first = None
    while now() < deadline:
        first = writers.first_success_after(start_begin)
        if first is not None:
            break
        time.sleep(0.005)
    time.sleep(args.after)
    stopped = writers.finish()

    results = writers.results
    # "During the outage": every answer given after PostgreSQL was gone and before it was started again. (A
    # request sent during the outage may wait for a connection, up to DATABASE_TIMEOUT, and get one once
    # PostgreSQL is back: a 201 after the outage, counted in waited_then_201.)
    during = [r for r in results if kill_end <= r[1] < start_begin]
    waited = [r for r in results if kill_end <= r[0] < start_begin and r[1] >= start_begin and r[2] == 201]
    latencies = sorted(r[1] - r[0] for r in during if r[2] == 503)
    # Every request whose life overlapped the outage, from the kill to PostgreSQL accepting connections again.
    overlapping = [r for r in results if r[1] >= kill_begin and r[0] <= start_end]
    unexpected = [r for r in results if r[2] not in (201, 503)]
    no_retry_after = [r for r in results if r[2] == 503 and r[3] is None]
    output = {
        "kill": {"code": kill_code, "seconds": kill_end - kill_begin, "output": kill_output},
        "start": {"code": start_code, "seconds": start_end - start_begin, "output": start_output},
        "outage_seconds": start_end - kill_begin,
        "writers_stopped": stopped,
        "total_requests": len(results),
        "all_statuses": count_by_status(results),
        "during_requests": len(during),
        "during_statuses": count_by_status(during),
        "during_not_503": len([r for r in during if r[2] != 503]),
        "during_503_latency": {
            "min": latencies[0] if latencies else None,
            "median": latencies[len(latencies) // 2] if latencies else None,
            "p90": latencies[int(len(latencies) * 0.9)] if latencies else None,
            "max": latencies[-1] if latencies else None,
        },
        "waited_then_201": len(waited),
        "during_503_over_1s": len([x for x in latencies if x > 1.0]),
        "unexpected": [[round(r[0] - kill_begin, 3), round(r[1] - r[0], 3), str(r[2])] for r in unexpected][:20],
        "unexpected_count": len(unexpected),
        "count_500": len([r for r in results if r[2] == 500]),
        "no_retry_after": len(no_retry_after),
        "slowest_during": max((r[1] - r[0] for r in overlapping), default=0.0),
        "slowest_overall": max((r[1] - r[0] for r in results), default=0.0),
        "recovery_seconds": None if first is None else max(0.0, first - start_end),
        "recovery_from_start_command": None if first is None else first - start_begin,
        "successes_before_kill": len([r for r in results if r[2] == 201 and r[1] < kill_begin]),
        "successes_after_restart": len([r for r in results if r[2] == 201 and r[0] >= start_end]),
        "monitor": {},
    }
    for what in ("health", "ready", "no_token", "openapi"):
        rows = [m for m in monitor if m[2] == what]
        output["monitor"][what] = {
            "statuses": count_by_status([(m[0], m[1], m[3]) for m in rows]),
            "slowest": max((m[1] - m[0] for m in rows), default=0.0),
        }
    write_json(args.out, output)
    for ack in writers.acks:  # when, from the kill of PostgreSQL
        ack["at"] = round(ack["at"] - kill_begin, 4)
    write_json(args.acks, writers.acks)


# ---------------------------------------------------------------- SIGKILL under write load


def cmd_writekill(args):
    users = read_json(args.users)
    writers = Writers(args.port, users, args.tag)
    writers.start()
    time.sleep(args.after)
    killed = now()
    os.kill(args.pid, signal.SIGKILL)
    time.sleep(0.3)
    stopped = writers.finish()
    results = writers.results
    before = [r for r in results if r[1] < killed]
    output = {
        "writers_stopped": stopped,
        "total_requests": len(results),
        "statuses_before_kill": count_by_status(before),
        "statuses_after_kill": count_by_status([r for r in results if r[1] >= killed]),
        "unexpected_before_kill": len([r for r in before if r[2] != 201]),
        "acknowledged": len(writers.acks),
    }
    write_json(args.out, output)
    for ack in writers.acks:  # when, from the SIGKILL
        ack["at"] = round(ack["at"] - killed, 4)
    write_json(args.acks, writers.acks)


# ---------------------------------------------------------------- verify


def cmd_verify(args):
    users = read_json(args.users)
    acks = []
    for path in args.acks:
        acks.extend(read_json(path))
    stored = {}  # user index -> {id: title}
    errors = []
    for index, user in enumerate(users):
        titles = {}
        offset = 0
        conn = None
        for _ in range(1000):
            try:
                status, headers, body, conn = call(
                    args.port, "GET", f"/tasks?limit=1000&offset={offset}", token=user["token"], conn=conn)
            except Exception as error:
                errors.append(f"{user['username']}: {type(error).__name__}")
                conn = None
                break
            if status != 200:
                errors.append(f"{user['username']} offset {offset}: {status} {body}")
                break
            for task in body:
                titles[task["id"]] = task["title"]
            offset += len(body)
            if len(body) < 1000 or offset >= int(headers.get("x-total-count", "0")):
                break
        stored[index] = titles
    lost = []
    changed = []
    for ack in acks:
        title = stored.get(ack["user"], {}).get(ack["id"])
        if title is None:
            # Not in the list: ask for it directly, to report it precisely.
            try:
                status, _, body, _ = call(args.port, "GET", f"/tasks/{ack['id']}", token=users[ack["user"]]["token"])
            except Exception as error:
                status, body = type(error).__name__, None
            if status == 200 and isinstance(body, dict) and body.get("title") == ack["title"]:
                continue
            lost.append({**ack, "get_status": str(status)})
        elif title != ack["title"]:
            changed.append({**ack, "stored_title": title})
    acked_ids = {ack["id"] for ack in acks}
    titles = {title: (index, task_id) for index, tasks in stored.items() for task_id, title in tasks.items()}
    for entry in lost:  # stored under another id or user?
        entry["stored_as"] = titles.get(entry["title"])
    unacknowledged = [
        {"id": task_id, "title": title, "user": index}
        for index, tasks in stored.items() for task_id, title in tasks.items() if task_id not in acked_ids]
    output = {
        "acknowledged": len(acks),
        "stored": sum(len(t) for t in stored.values()),
        # Stored although the client got no 201 (a 503 or a reset at the crash): allowed.
        "stored_unacknowledged": len(unacknowledged),
        "stored_unacknowledged_examples": unacknowledged[:10],
        "lost": len(lost),
        "changed": len(changed),
        "lost_examples": lost[:10],
        "changed_examples": changed[:10],
        "errors": errors,
    }
    write_json(args.out, output)


# ---------------------------------------------------------------- drain


def process_gone(pid):
    """True once the process has exited (a zombie waiting for its parent counts as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def cmd_drain(args):
    barrier = threading.Barrier(args.logins + 1)
    logins = [None] * args.logins

    def login(i):
        conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
        start = None
        try:
            conn.connect()
            barrier.wait(10)
            start = now()
            status, _, body, _ = call(
                args.port, "POST", "/auth/login", {"username": args.username, "password": args.password}, conn=conn)
            ok = status == 200 and isinstance(body, dict) and "access_token" in body
            logins[i] = {"start": start, "end": now(), "status": status, "token": ok}
        except Exception as error:  # no answer: the connection was closed or reset
            logins[i] = {"start": start, "end": now(), "status": type(error).__name__, "token": False}
        finally:
            conn.close()

    threads = [threading.Thread(target=login, args=(i,), daemon=True) for i in range(args.logins)]
    for thread in threads:
        thread.start()
    barrier.wait(10)
    time.sleep(args.delay)
    term = now()
    os.kill(args.pid, signal.SIGTERM)

    # New connections after SIGTERM: tried every 20 ms until one is refused (at most 2 s).
    attempts = []
    refused_after = None
    while now() - term < 2.0:
        attempt = now()
        try:
            s = socket.create_connection((HOST, args.port), timeout=1)
            try:  # accepted: is it served?
                s.settimeout(1)
                s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                answer = s.recv(64).split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
            except OSError as error:
                answer = type(error).__name__
            s.close()
            attempts.append([round(attempt - term, 3), "accepted: " + answer])
        except ConnectionRefusedError:
            refused_after = attempt - term
            attempts.append([round(attempt - term, 3), "refused"])
            break
        except OSError as error:
            attempts.append([round(attempt - term, 3), type(error).__name__])
        time.sleep(0.02)

    for thread in threads:
        thread.join(args.grace + 5)
    exited = None
    deadline = term + args.grace + 5
    while now() < deadline:
        if process_gone(args.pid):
            exited = now() - term
            break
        time.sleep(0.01)
    in_flight = [l for l in logins if l and l["start"] is not None and l["start"] < term < l["end"]]
    output = {
        "logins": len(logins),
        "logins_200": len([l for l in logins if l and l["status"] == 200 and l["token"]]),
        "logins_in_flight_at_sigterm": len(in_flight),
        "login_statuses": [str(l["status"]) if l else "no answer" for l in logins],
        "login_seconds": [round(l["end"] - l["start"], 3) if l and l["start"] else None for l in logins],
        "last_login_done_after_sigterm": max((l["end"] - term for l in logins if l), default=None),
        "refused_after": refused_after,
        "connection_attempts": attempts,
        "exit_after": exited,
    }
    write_json(args.out, output)


# ---------------------------------------------------------------- connections


def read_until(s, marker):
    """What the server sent until `marker` arrives or it closes the connection."""
    data = b""
    while marker not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def read_response(s, timeout=5):
    """Reads one HTTP response (Content-Length bodies); returns its status line."""
    s.settimeout(timeout)
    data = read_until(s, b"\r\n\r\n")
    if b"\r\n\r\n" not in data:
        raise ConnectionError("closed before the response")
    head, rest = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head.split(b"\r\n", 1)[0].decode()


def is_open(s):
    """A socket is closed when recv returns b'' or raises; open when nothing is there to read yet."""
    try:
        s.setblocking(False)
        data = s.recv(1)
        return False if data == b"" else True
    except BlockingIOError:
        return True
    except OSError:
        return False


def oversized(port, size):
    """Sends a request with one header of `size` bytes; returns the status line, or what happened instead."""
    request = (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * size + b"\r\nConnection: close\r\n\r\n")
    s = socket.create_connection((HOST, port), timeout=5)
    try:
        try:
            s.sendall(request)
        except OSError as error:
            # The server may answer and close before the whole header is sent; read what it said, if anything.
            sent_error = type(error).__name__
        else:
            sent_error = None
        try:
            data = read_until(s, b"\r\n")
        except ConnectionResetError:
            return "reset" + (f" (while sending: {sent_error})" if sent_error else "")
        except socket.timeout:
            return "no answer in 5 s"
        if not data:
            return "closed without an answer" + (f" (while sending: {sent_error})" if sent_error else "")
        return data.split(b"\r\n", 1)[0].decode(errors="replace")
    finally:
        s.close()


def connection_cap(port, maximum):
    """Opens connections, each sending one request and staying open, until MAX_CONNECTIONS are taken and 20 more
    have tried; then closes them all and checks a new connection is served."""
    held, statuses, refusals = [], {}, []
    try:
        for _ in range(maximum + 20):
            s = socket.create_connection((HOST, port), timeout=5)
            held.append(s)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            try:
                s.settimeout(5)
                data = read_until(s, b"\r\n\r\n")
                status = data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed"
                if " 503 " in status + " ":
                    refusals.append(data.decode(errors="replace"))
            except OSError as error:
                status = type(error).__name__
            code = status.split()[1] if status.startswith("HTTP/") else status
            statuses[code] = statuses.get(code, 0) + 1
    finally:
        for s in held:
            s.close()
    served_afterwards = None
    for _ in range(50):  # the server counts a connection out once it sees it close
        try:
            served_afterwards, _, _, _ = call(port, "GET", "/health", timeout=5)
        except Exception as error:
            served_afterwards = type(error).__name__
        if served_afterwards == 200:
            break
        time.sleep(0.1)
    return {
        "maximum": maximum,
        "statuses": statuses,
        "refusals_with_retry_after": sum("\r\nretry-after: 1\r\n" in r.lower() for r in refusals),
        "served_afterwards": served_afterwards,
    }


def cmd_conns(args):
    idle_timeout = args.idle_timeout
    slowloris = {"open_after": None, "bytes_sent": 0, "closed_at": None}

    def drip():
        s = socket.create_connection((HOST, args.port), timeout=5)
        start = now()
        # The request line and a first header at once, then one byte of a second header per second.
        s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        pending = b"X-Slow: " + b"a" * 100
        try:
            while now() - start < args.slowloris_seconds:
                s.sendall(pending[slowloris["bytes_sent"]:slowloris["bytes_sent"] + 1])
                slowloris["bytes_sent"] += 1
                time.sleep(1)
                if not is_open(s):
                    slowloris["closed_at"] = now() - start
                    break
                s.setblocking(True)
                s.settimeout(5)
        except OSError:
            slowloris["closed_at"] = now() - start
        slowloris["open_after"] = now() - start
        slowloris["still_open"] = slowloris["closed_at"] is None and is_open(s)
        s.close()

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()

    idle, half, setup_errors = [], [], []
    for _ in range(args.idle):
        try:
            s = socket.create_connection((HOST, args.port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            status = read_response(s)
            if " 200 " not in status + " ":
                setup_errors.append(status)
            idle.append(s)
        except OSError as error:
            setup_errors.append("idle: " + type(error).__name__)
    for _ in range(args.half):
        try:
            s = socket.create_connection((HOST, args.port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag")
            half.append(s)
        except OSError as error:
            setup_errors.append("half: " + type(error).__name__)
    set_up = now()
    time.sleep(idle_timeout + 1)
    idle_open = sum(is_open(s) for s in idle)
    half_open = sum(is_open(s) for s in half)
    waited = now() - set_up
    for s in idle + half:
        s.close()

    headers = {f"{size // 1024} KiB": oversized(args.port, size) for size in (20 * 1024, 200 * 1024)}
    # The server still serves afterwards.
    try:
        status, _, _, _ = call(args.port, "GET", "/health", timeout=5)
    except Exception as error:
        status = type(error).__name__
    dripper.join(args.slowloris_seconds + 10)
    cap = connection_cap(args.port, args.max_connections)
    output = {
        "idle_timeout": idle_timeout,
        "idle_connections": len(idle),
        "idle_open": idle_open,
        "half_connections": len(half),
        "half_open": half_open,
        "checked_after_seconds": waited,
        "setup_errors": setup_errors[:10],
        "slowloris": slowloris,
        "oversized_headers": headers,
        "health_afterwards": status,
        "cap": cap,
    }
    write_json(args.out, output)


# ---------------------------------------------------------------- table


def cmd_table(args):
    def load(name):
        path = os.path.join(args.work, name)
        return read_json(path) if os.path.exists(path) else None

    measures = {}
    path = os.path.join(args.work, "measures")
    if os.path.exists(path):
        for line in open(path):
            key, _, value = line.strip().partition("=")
            measures[key] = value

    def seconds(value):
        return "n/a" if value is None else f"{value:.3f} s"

    rows = []
    outage = load("outage.json")
    if outage:
        statuses = ", ".join(f"{k}: {v}" for k, v in outage["during_statuses"].items()) or "none"
        rows.append(("PG outage: statuses (during)", statuses))
        rows.append(("PG outage: all write statuses", ", ".join(f"{k}: {v}" for k, v in outage["all_statuses"].items())))
        rows.append(("PG outage: slowest answer", seconds(outage["slowest_during"])))
        monitor = outage["monitor"]
        rows.append((
            "PG outage: /health, /health/ready, no token",
            " / ".join(", ".join(f"{k}: {v}" for k, v in monitor[w]["statuses"].items()) for w in (
                "health", "ready", "no_token"))))
        rows.append((
            "PG outage: first 201 after pg_ctl start -w",
            f"{seconds(outage['recovery_seconds'])} after it returned "
            f"({seconds(outage['recovery_from_start_command'])} after it was run)"))
        latency = outage["during_503_latency"]
        rows.append((
            "PG outage: 503 latency",
            f"median {seconds(latency['median'])}, p90 {seconds(latency['p90'])}, max {seconds(latency['max'])}, "
            f"{outage['during_503_over_1s']} over 1 s"))
        rows.append((
            "PG outage: log lines",
            f"unavailable {measures.get('log_unavailable', '?')}, available again "
            f"{measures.get('log_available', '?')}, error level {measures.get('log_errors', '?')}"))
    for name, label in (("verify-pg.json", "PG"), ("verify-sqlite.json", "SQLite")):
        verify = load(name)
        if verify:
            rows.append((
                f"{label}: acknowledged writes / lost",
                f"{verify['acknowledged']} / {verify['lost']}"
                + (f" (changed {verify['changed']})" if verify["changed"] else "")
                + (" (lost: " + ", ".join(
                    f"id {l['id']} answered 201 {l['at']:+.3f} s from the kill" for l in verify["lost_examples"]) + ")"
                   if verify["lost"] else "")
                + f"; stored without a 201: {verify['stored_unacknowledged']}"))
    for key, label in (("restart_pg_ms", "PG: restart after SIGKILL, /health in"),
                       ("restart_sqlite_ms", "SQLite: restart after SIGKILL, /health in")):
        if key in measures:
            rows.append((label, f"{measures[key]} ms"))
    conns = load("conns.json")
    if conns:
        slow = conns["slowloris"]
        slow_text = ("open after %.0f s (%d bytes): header timeout not enforced" % (slow["open_after"], slow["bytes_sent"])
                     if slow.get("still_open") else "closed after %s s (%d bytes)" % (
                         "?" if slow["closed_at"] is None else "%.1f" % slow["closed_at"], slow["bytes_sent"]))
        rows.append((
            f"Still open {conns['checked_after_seconds']:.1f} s after set-up (IDLE_TIMEOUT={conns['idle_timeout']})",
            f"idle {conns['idle_open']}/{conns['idle_connections']}, half-sent {conns['half_open']}/"
            f"{conns['half_connections']}"))
        rows.append(("Slowloris (1 header byte/s)", slow_text))
        rows.append(("Oversized headers", ", ".join(f"{k}: {v}" for k, v in conns["oversized_headers"].items())))
        cap = conns["cap"]
        rows.append((
            f"Connection cap (MAX_CONNECTIONS={cap['maximum']}, {cap['maximum'] + 20} opened)",
            ", ".join(f"{k}: {v}" for k, v in sorted(cap["statuses"].items()))
            + f"; Retry-After on {cap['refusals_with_retry_after']}; then /health {cap['served_afterwards']}"))
    drain = load("drain.json")
    if drain:
        rows.append((
            "Drain after SIGTERM",
            f"logins 200: {drain['logins_200']}/{drain['logins']} ({drain['logins_in_flight_at_sigterm']} in flight), "
            f"exit code {measures.get('drain_exit', '?')}, exit after {seconds(drain['exit_after'])}, "
            f"new connection refused after {seconds(drain['refused_after'])}"))
    width = max(len(r[0]) for r in rows) if rows else 10
    print("-" * (width + 50))
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print("-" * (width + 50))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("users")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=4)
    p.add_argument("--prefix", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_users)

    p = sub.add_parser("outage")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--kill", required=True, help="script that kills PostgreSQL")
    p.add_argument("--start", required=True, help="script that starts PostgreSQL and waits for it")
    p.add_argument("--warmup", type=float, default=1.5)
    p.add_argument("--outage-seconds", type=float, default=4.0)
    p.add_argument("--after", type=float, default=1.5)
    p.add_argument("--out", required=True)
    p.add_argument("--acks", required=True)
    p.set_defaults(func=cmd_outage)

    p = sub.add_parser("writekill")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--after", type=float, default=1.5)
    p.add_argument("--tag", default="kill")
    p.add_argument("--out", required=True)
    p.add_argument("--acks", required=True)
    p.set_defaults(func=cmd_writekill)

    p = sub.add_parser("verify")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--acks", nargs="+", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("drain")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--logins", type=int, default=4)
    p.add_argument("--delay", type=float, default=0.05)
    p.add_argument("--grace", type=float, default=10)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_drain)

    p = sub.add_parser("conns")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--idle-timeout", type=float, required=True)
    p.add_argument("--idle", type=int, default=200)
    p.add_argument("--half", type=int, default=100)
    p.add_argument("--slowloris-seconds", type=float, default=10)
    p.add_argument("--max-connections", type=int, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_conns)

    p = sub.add_parser("table")
    p.add_argument("--work", required=True)
    p.set_defaults(func=cmd_table)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
