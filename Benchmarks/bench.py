#!/usr/bin/env python3
"""The benchmark instrument's orchestration (Python 3 standard library; python's bcrypt package is optional).

Benchmarks/bench.sh starts a throwaway PostgreSQL and runs this with its address in BENCH_PG_* variables. This
starts the server binary on 127.0.0.1 against it, seeds data through the API, starts nginx, then runs ROUNDS
interleaved rounds of every scenario followed by its ceiling:

  scenario (wrk script)                      ceiling
  GET /tasks/{id}        wrk/read-task.lua    pgbench -M prepared sql/read-task.sql
  GET /tasks (100 tasks) wrk/list-tasks.lua   pgbench -M prepared sql/list-tasks.sql
  POST /tasks            wrk/create-task.lua  pgbench -M prepared sql/create-task.sql
  mixed CRUD (60% read)  wrk/mixed-crud.lua   pgbench -M prepared sql/mixed-crud.sql
  POST /tasks, no token  wrk/unauthenticated.lua   nginx answering the same 401 (status, headers, body)
  login storm            wrk/read-task.lua + wrk/login.lua (LOGIN_CONCURRENCY connections) at once:
                         the reads against GET /tasks/{id} alone in the same round, the logins against
                         bcrypt checks per second at BCRYPT_COST with LOGIN_CONCURRENCY processes

For every run it reads /proc: the server's utime+stime (CPU per request), the postmaster's and its children's
(PostgreSQL CPU per request, exited backends included through the postmaster's cutime+cstime), the server's
VmHWM (peak memory, reset before each run through /proc/PID/clear_refs), and the whole machine's busy time, so
that CPU taken by other processes on a shared machine shows (less the benchmark's own: the server, PostgreSQL,
nginx, and the load generators through getrusage(RUSAGE_CHILDREN)). Prints a Markdown table per round and the medians.
Every load goes to 127.0.0.1 and every run is bounded by DURATION (plus a fixed timeout).
"""

import base64
import datetime
import glob
import http.client
import json
import math
import multiprocessing
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
WRK_DIR = os.path.join(HERE, "wrk")
SQL_DIR = os.path.join(HERE, "sql")
TICK = os.sysconf("SC_CLK_TCK")
PASSWORD = "bench-password-0123"


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DURATION = env_int("DURATION", 10)
ROUNDS = env_int("ROUNDS", 3)
CONNECTIONS = env_int("CONNECTIONS", 32)
THREADS = env_int("WRK_THREADS", 2)
PGBENCH_CLIENTS = env_int("PGBENCH_CLIENTS", CONNECTIONS)
LOGIN_CONCURRENCY = env_int("LOGIN_CONCURRENCY", 4)
BCRYPT_COST = env_int("BCRYPT_COST", 12)
JWT_SECRET = os.environ.get("BENCH_JWT_SECRET", "benchmark-jwt-secret-0123456789abcdef0123456789abcdef")
RUN_TIMEOUT = DURATION + 60
LEAN_STACK = os.environ.get("LEAN_STACK", "")  # the calibration stack (Benchmarks/LeanStack), if given

started = []  # every process this script started and has not reaped yet


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---- /proc


def proc_stat(pid):
    """(ppid, own CPU ticks, reaped children's CPU ticks) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    # After the command: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def process_cpu(pid):
    """CPU seconds of one process, all its threads."""
    stat = proc_stat(pid)
    return stat[1] / TICK if stat else 0.0


def tree_cpu(root):
    """CPU seconds a process and its direct children have used so far, children that have exited included (the
    root's cutime+cstime, once it has reaped them): the postmaster and its backends, or nginx and its workers."""
    stat = proc_stat(root)
    if stat is None:
        return 0.0
    total = stat[1] + stat[2]
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != root:
            child = proc_stat(int(entry))
            if child and child[0] == root:
                total += child[1]
    return total / TICK


def machine_busy():
    """(busy, all) CPU seconds of the whole machine, summed over its cores."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    everything = sum(values[:8])
    return (everything - idle) / TICK, everything / TICK


def reset_peak_memory(pid):
    """Resets VmHWM (Linux: writing 5 to clear_refs); False where the kernel does not allow it."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# ---- processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(command, **options):
    process = subprocess.Popen(command, **options)
    started.append(process)
    return process


def run_bounded(command, timeout, **options):
    """Runs a load generator to its end (killed past `timeout`): (return code, stdout, its CPU seconds)."""
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    process = spawn(command, text=True, **options)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise RuntimeError(f"{command[0]} ran past {timeout} s and was killed")
    finally:
        started.remove(process)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])}... exited with {process.returncode}: {(err or '')[-2000:]}")
    return out, err


def stop(process, signal_number=signal.SIGTERM, grace=15):
    if process.poll() is None:
        process.send_signal(signal_number)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process in started:
        started.remove(process)


def stop_everything():
    for process in list(started):
        try:
            stop(process, signal.SIGQUIT if getattr(process, "is_nginx", False) else signal.SIGTERM, grace=10)
        except Exception:
            pass


# ---- HTTP, for seeding and probing


class API:
    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, headers=None, form=False):
        headers = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = urllib.parse.urlencode(body) if form else json.dumps(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded" if form else "application/json"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, response.getheaders(), response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def expect(self, status, method, path, body=None, headers=None, form=False):
        got, _, data = self.call(method, path, body, headers, form)
        if got != status:
            raise RuntimeError(f"{method} {path}: expected {status}, got {got}: {data[:300]!r}")
        return json.loads(data) if data else None


def token_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def seed(api):
    """Two users, each with 100 tasks made through the API: the reader (single reads, the list, the logins) and the
    writer (creates and the mixed scenario, so the reader's list stays at 100 tasks)."""
    users = {}
    for name in ("bench-reader", "bench-writer"):
        api.expect(201, "POST", "/users", {"username": name, "password": PASSWORD})
        issued = api.expect(200, "POST", "/auth/login", {"username": name, "password": PASSWORD}, form=True)
        claims = token_claims(issued["access_token"])
        auth = {"Authorization": "Bearer " + issued["access_token"]}
        ids = []
        for index in range(1, 101):
            task = api.expect(201, "POST", "/tasks", {"title": f"Task {index}", "description": f"Seeded task {index} of {name}"}, auth)
            ids.append(task["id"])
        if ids != list(range(ids[0], ids[0] + 100)):
            raise RuntimeError(f"the seeded task ids of {name} are not contiguous: {ids[:3]}...")
        users[name] = {
            "username": name,
            "token": issued["access_token"],
            "uid": int(claims["sub"]),
            "sid": claims["sid"],
            "first_id": ids[0],
            "last_id": ids[-1],
        }
    reader = users["bench-reader"]
    status, headers, body = api.call("GET", "/tasks", headers={"Authorization": "Bearer " + reader["token"]})
    total = dict((k.lower(), v) for k, v in headers).get("x-total-count")
    if status != 200 or total != "100" or len(json.loads(body)) != 100:
        raise RuntimeError(f"GET /tasks as the reader: {status}, X-Total-Count {total}")
    return users


# ---- measurements


class Sample:
    """CPU and memory counters around one run: the server, PostgreSQL (the postmaster and its children), nginx,
    this script and the load generators it ran and reaped (wrk, pgbench, bcrypt workers), and the whole machine.
    What the machine was busy with beyond all of these is other processes' (`outside`)."""

    def __init__(self, server_pid, postmaster_pid, nginx_pid, reset_memory):
        self.server_pid, self.postmaster_pid, self.nginx_pid = server_pid, postmaster_pid, nginx_pid
        self.reset_memory = reset_memory

    def __enter__(self):
        if self.reset_memory:
            reset_peak_memory(self.server_pid)
        self.start = self.read()
        self.began = time.monotonic()
        return self

    def read(self):
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "server": process_cpu(self.server_pid),
            "postgres": tree_cpu(self.postmaster_pid),
            "nginx": tree_cpu(self.nginx_pid) if self.nginx_pid else 0.0,
            "load": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            "machine": machine_busy(),
        }

    def __exit__(self, *exc):
        time.sleep(0.1)  # pgbench's backends exit after pgbench: let the postmaster reap them.
        end = self.read()
        self.elapsed = time.monotonic() - self.began - 0.1
        delta = {key: end[key] - self.start[key] for key in ("server", "postgres", "nginx", "load")}
        self.server, self.postgres, self.nginx, self.load = (delta[k] for k in ("server", "postgres", "nginx", "load"))
        self.machine_busy = end["machine"][0] - self.start["machine"][0]
        self.machine_capacity = end["machine"][1] - self.start["machine"][1]
        self.outside = max(0.0, self.machine_busy - sum(delta.values()))
        self.peak_kib = memory_kib(self.server_pid, "VmHWM") if self.reset_memory else None
        return False


def wrk(script, base, connections, environment, threads=None):
    threads = min(threads or THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}s", "--timeout", "30s", "-s", script, base]
    out, _ = run_bounded(command, RUN_TIMEOUT, cwd=WRK_DIR, env={**os.environ, **environment})
    line = next((l for l in out.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out[-2000:]}")
    result = json.loads(line[len("WRK_JSON ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def wrk_async(script, base, connections, environment, threads=None):
    threads = min(threads or THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}s", "--timeout", "30s", "-s", script, base]
    return spawn(command, cwd=WRK_DIR, env={**os.environ, **environment}, stdout=subprocess.PIPE,
                 stderr=subprocess.PIPE, text=True)


def wrk_collect(process):
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError("wrk ran past its timeout and was killed")
    finally:
        if process in started:
            started.remove(process)
    line = next((l for l in out.splitlines() if l.startswith("WRK_JSON ")), None)
    if process.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err[-2000:]}")
    result = json.loads(line[len("WRK_JSON ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    index = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[index]


def pgbench(context, script, user, work, rate=None):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    variables = {
        "uid": user["uid"], "sid": user["sid"], "now": now, "first_id": user["first_id"],
        "last_id": user["last_id"], "title": "Benchmark task", "description": "created under load",
        "completed": "false", "n": 0, "created_id": 0, "limit": 100, "offset": 0,
    }
    prefix = os.path.join(work, "pgbench-log")
    for old in glob.glob(prefix + "*"):
        os.remove(old)
    # The list is planned for each run by the server too (HotStatement.plansEachRun); the rest is prepared.
    mode = "extended" if script == "list-tasks.sql" else "prepared"
    command = [context["pgbench"], "-n", "-M", mode, "-c", str(PGBENCH_CLIENTS), "-j", str(min(THREADS, PGBENCH_CLIENTS)),
               "-T", str(DURATION), "-f", os.path.join(SQL_DIR, script), "--log", "--log-prefix", prefix,
               "-h", "127.0.0.1", "-p", str(context["pg_port"]), "-U", "postgres"]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    if rate:
        command += ["--rate", f"{rate:.0f}"]
    command.append("postgres")
    out, err = run_bounded(command, RUN_TIMEOUT, cwd=work)
    text = out + err
    processed = re.search(r"number of transactions actually processed: (\d+)", text)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    if not processed or not tps:
        raise RuntimeError(f"pgbench printed no result:\n{text[-2000:]}")
    latencies = []
    for path in glob.glob(prefix + "*"):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    latencies.append(int(parts[2]))
        os.remove(path)
    latencies.sort()
    return {
        "requests": int(processed.group(1)),
        "rps": float(tps.group(1)),
        "failed": int(failed.group(1)) if failed else 0,
        "p50_us": percentile(latencies, 0.5),
        "p99_us": percentile(latencies, 0.99),
    }


def bcrypt_worker(arguments):
    """Checks the password against its hash until the deadline: (checks, CPU seconds, seconds taken)."""
    password, hashed, deadline = arguments
    import bcrypt

    cpu, began = time.process_time(), time.monotonic()
    checks = 0
    while time.time() < deadline:
        if not bcrypt.checkpw(password, hashed):
            raise RuntimeError("bcrypt check failed")
        checks += 1
    return checks, time.process_time() - cpu, time.monotonic() - began


def bcrypt_ceiling():
    """bcrypt checks per second at BCRYPT_COST with LOGIN_CONCURRENCY processes, for DURATION seconds (the last
    check may run past it: each process's checks count over the time it actually took)."""
    import bcrypt

    password = PASSWORD.encode()
    hashed = bcrypt.hashpw(password, bcrypt.gensalt(rounds=BCRYPT_COST))
    deadline = time.time() + DURATION
    # Spawned, not forked: a forked worker once hung for good on a lock the parent held at the fork, and the run
    # waited for it. The wait is bounded either way.
    with multiprocessing.get_context("spawn").Pool(LOGIN_CONCURRENCY) as pool:
        pending = pool.map_async(bcrypt_worker, [(password, hashed, deadline)] * LOGIN_CONCURRENCY)
        try:
            results = pending.get(timeout=RUN_TIMEOUT)
        except multiprocessing.TimeoutError:
            raise RuntimeError(f"the bcrypt ceiling's workers did not finish within {RUN_TIMEOUT} s")
    checks = sum(r[0] for r in results)
    # Each worker's own rate over its own time, so starting the workers does not count against bcrypt.
    return {"requests": checks, "rps": sum(r[0] / r[2] for r in results if r[2] > 0),
            "cpu_s": sum(r[1] for r in results), "p50_us": None, "p99_us": None}


def have_python_bcrypt():
    try:
        import bcrypt  # noqa: F401

        return True
    except ImportError:
        return False


# ---- the scenarios


def measure(context, name, run, server=True):
    """Runs one load under /proc sampling: the run's result with CPU per request, peak memory, how busy the machine
    was, and how much of it other processes took."""
    with Sample(context["server_pid"], context["postmaster_pid"], context.get("nginx_pid"), server) as sample:
        result = run()
    requests = max(result["requests"], 1)
    capacity = sample.machine_capacity or None
    result.update(
        name=name,
        elapsed_s=sample.elapsed,
        server_cpu_s=sample.server,
        postgres_cpu_s=sample.postgres,
        nginx_cpu_s=sample.nginx,
        load_generator_cpu_s=sample.load,
        outside_cpu_s=sample.outside,
        server_cpu_per_request_us=sample.server / requests * 1e6 if server else None,
        postgres_cpu_per_request_us=sample.postgres / requests * 1e6,
        peak_memory_kib=sample.peak_kib,
        machine_busy_share=sample.machine_busy / capacity if capacity else None,
        outside_share=sample.outside / capacity if capacity else None,
        machine_busy_s=sample.machine_busy,
        machine_capacity_s=sample.machine_capacity,
    )
    return result


def unexpected_of(result, expected_status_errors=False):
    errors = result["connect_errors"] + result["read_errors"] + result["write_errors"] + result["timeouts"]
    if expected_status_errors:  # every answer should be a 4xx: fewer status errors than requests are unexpected
        return errors + (result["requests"] - result["status_errors"]) + result.get("unexpected", 0)
    return errors + result["status_errors"] + result.get("unexpected", 0)


def lean_run(context, number, label, script, environment, expected_status_errors=False):
    """The same load on the lean stack, right after the service's, when LEAN_STACK is given; else None."""
    if not context.get("lean_pid"):
        return None
    name = f"lean stack: {label}"
    log(f"round {number}: {name}")
    lean_context = dict(context, server_pid=context["lean_pid"])
    result = measure(lean_context, name, lambda: wrk(script, context["lean_base"], CONNECTIONS, environment))
    result["unexpected_total"] = unexpected_of(result, expected_status_errors=expected_status_errors)
    return result


def one_round(context, number, work):
    base = context["base"]
    reader, writer = context["users"]["bench-reader"], context["users"]["bench-writer"]
    reader_env = {"TOKEN": reader["token"], "FIRST_ID": str(reader["first_id"]), "LAST_ID": str(reader["last_id"])}
    writer_env = {"TOKEN": writer["token"], "FIRST_ID": str(writer["first_id"]), "LAST_ID": str(writer["last_id"])}
    rows = []

    def scenario(label, ceiling_label, script, environment, sql, user):
        log(f"round {number}: {label}")
        result = measure(context, label, lambda: wrk(script, base, CONNECTIONS, environment))
        lean = lean_run(context, number, label, script, environment)
        log(f"round {number}: {label} ceiling ({ceiling_label})")
        ceiling = measure(context, ceiling_label, lambda: pgbench(context, sql, user, work), server=False)
        ceiling["ceiling_cpu_per_request_us"] = ceiling["postgres_cpu_per_request_us"]
        # PostgreSQL's CPU per statement depends on the load: a backend woken for each statement costs more than
        # one kept busy. The same statements paced to the server's own rate are the fair comparison.
        log(f"round {number}: {label}: pgbench at the server's rate")
        paced = measure(context, f"{ceiling_label} --rate", lambda: pgbench(context, sql, user, work, rate=result["rps"]),
                        server=False)
        result["paced_postgres_cpu_per_request_us"] = paced["postgres_cpu_per_request_us"]
        ceiling["unexpected"] = ceiling["failed"]
        result["unexpected_total"] = unexpected_of(result)
        rows.append((result, ceiling))
        if lean:
            rows.append((lean, ceiling))
        return result

    read = scenario("GET /tasks/{id}", "pgbench sql/read-task.sql", "read-task.lua", reader_env, "read-task.sql", reader)
    scenario("GET /tasks (100 tasks)", "pgbench sql/list-tasks.sql", "list-tasks.lua", reader_env, "list-tasks.sql", reader)
    scenario("POST /tasks", "pgbench sql/create-task.sql", "create-task.lua", writer_env, "create-task.sql", writer)
    scenario("mixed CRUD (60% read)", "pgbench sql/mixed-crud.sql", "mixed-crud.lua", writer_env, "mixed-crud.sql", writer)

    log(f"round {number}: POST /tasks without a token")
    unauthorized = measure(context, "POST /tasks, no token (401)",
                           lambda: wrk("unauthenticated.lua", base, CONNECTIONS, {}))
    unauthorized["unexpected_total"] = unexpected_of(unauthorized, expected_status_errors=True)
    lean_unauthorized = lean_run(context, number, "POST /tasks, no token (401)", "unauthenticated.lua", {},
                                 expected_status_errors=True)
    log(f"round {number}: nginx, the same 401")
    nginx = measure(context, "nginx, same 401 bytes",
                    lambda: wrk("unauthenticated.lua", context["nginx_base"], CONNECTIONS, {}), server=False)
    nginx["ceiling_cpu_per_request_us"] = nginx["nginx_cpu_s"] / max(nginx["requests"], 1) * 1e6
    nginx["unexpected"] = unexpected_of(nginx, expected_status_errors=True)
    rows.append((unauthorized, nginx))
    if lean_unauthorized:
        rows.append((lean_unauthorized, nginx))

    log(f"round {number}: login storm (GET /tasks/{{id}} with {LOGIN_CONCURRENCY} concurrent logins)")
    login_env = {"USERNAME": reader["username"], "PASSWORD": PASSWORD}

    def storm():
        readers = wrk_async("read-task.lua", base, CONNECTIONS, reader_env)
        logins = wrk_async("login.lua", base, LOGIN_CONCURRENCY, login_env, threads=1)
        reads, logged_in = wrk_collect(readers), wrk_collect(logins)
        return {"reads": reads, "logins": logged_in, "requests": reads["requests"] + logged_in["requests"]}

    both = measure(context, "login storm", storm)
    reads, logins = both["reads"], both["logins"]
    for part in (reads, logins):
        for key in ("elapsed_s", "server_cpu_s", "postgres_cpu_s", "server_cpu_per_request_us",
                    "postgres_cpu_per_request_us", "peak_memory_kib", "machine_busy_share", "outside_share",
                    "machine_busy_s", "machine_capacity_s", "nginx_cpu_s", "load_generator_cpu_s", "outside_cpu_s"):
            part[key] = both[key]
        part["unexpected_total"] = unexpected_of(part)
        part["shared_cpu"] = True
    reads["name"] = f"login storm: GET /tasks/{{id}} during {LOGIN_CONCURRENCY} logins"
    alone = dict(read, name="GET /tasks/{id} alone (this round)")
    alone["ceiling_cpu_per_request_us"] = read["server_cpu_per_request_us"]
    alone["unexpected"] = read["unexpected_total"]
    rows.append((reads, alone))

    logins["name"] = f"login storm: POST /auth/login x{LOGIN_CONCURRENCY}"
    if context["python_bcrypt"]:
        label = f"bcrypt cost {BCRYPT_COST}, {LOGIN_CONCURRENCY} processes"
        log(f"round {number}: {label}")
        ceiling = measure(context, label, bcrypt_ceiling, server=False)
        ceiling["ceiling_cpu_per_request_us"] = ceiling["cpu_s"] / max(ceiling["requests"], 1) * 1e6
    else:
        cores = min(LOGIN_CONCURRENCY, os.cpu_count() or 1)
        label = f"server's sequential logins x{cores} cores"
        log(f"round {number}: {label}")
        ceiling = measure(context, label, lambda: wrk("login.lua", base, 1, login_env, threads=1))
        ceiling["rps"] *= cores
        ceiling["ceiling_cpu_per_request_us"] = ceiling["server_cpu_per_request_us"]
    ceiling["unexpected"] = 0
    rows.append((logins, ceiling))

    label = f"POST /auth/login x{LOGIN_CONCURRENCY} alone"
    log(f"round {number}: {label}")
    alone_logins = measure(context, label, lambda: wrk("login.lua", base, LOGIN_CONCURRENCY, login_env, threads=1))
    alone_logins["unexpected_total"] = unexpected_of(alone_logins)
    rows.append((alone_logins, ceiling))
    return rows


def profile(context, scenario, work):
    """PROFILE=<scenario>: instead of the rounds, one DURATION-second run of Benchmarks/wrk/<scenario>.lua under
    `perf record -g` on the server, then the functions that took the most of its CPU, by their own time and with
    their callees. The raw profile stays in PROFILE_DATA if set (else it goes with the work directory)."""
    user = context["users"]["bench-writer" if scenario in ("create-task", "mixed-crud") else "bench-reader"]
    environment = {"TOKEN": user["token"], "FIRST_ID": str(user["first_id"]), "LAST_ID": str(user["last_id"])}
    data = os.environ.get("PROFILE_DATA") or os.path.join(work, "perf.data")
    recorder = spawn(["perf", "record", "-F", "999", "-g", "-o", data, "-p", str(context["server_pid"])],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    result = measure(context, scenario, lambda: wrk(f"{scenario}.lua", context["base"], CONNECTIONS, environment))
    stop(recorder, signal.SIGINT)
    print(f"## Profile of {scenario}: {fmt_int(result['rps'])} req/s, server CPU "
          f"{fmt_cpu(result['server_cpu_per_request_us'])}/req, "
          f"{unexpected_of(result, expected_status_errors=scenario == 'unauthenticated')} unexpected")
    for title, options in (("self time", ["--no-children"]), ("with callees", ["--children"])):
        report, _ = run_bounded(["perf", "report", "-i", data, "--stdio", "-g", "none", "--percent-limit", "1.5",
                                 "--sort", "symbol", *options], RUN_TIMEOUT)
        lines = [line for line in report.splitlines() if line.strip() and not line.startswith("#")]
        print(f"\n### By {title}\n\n```\n" + "\n".join(line[:160] for line in lines[:45]) + "\n```")


# ---- output


def fmt_int(value):
    if value is None:
        return "–"
    return f"{value:.1f}" if 0 < value < 100 and value != int(value) else f"{value:,.0f}"


def fmt_ms(us):
    if us is None:
        return "–"
    ms = us / 1000
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:.1f} ms" if ms < 100 else f"{ms:,.0f} ms"


def fmt_cpu(us):
    if us is None:
        return "–"
    return f"{us:,.0f} µs" if us < 10_000 else f"{us / 1000:,.1f} ms"


def fmt_mib(kib):
    return "–" if kib is None else f"{kib / 1024:.1f} MiB"


def fmt_share(value):
    return "–" if value is None else f"{value * 100:.0f}%"


def summarise(scenario, ceiling):
    share = scenario["rps"] / ceiling["rps"] if ceiling and ceiling["rps"] else None
    return {
        "scenario": scenario["name"],
        "rps": scenario["rps"],
        "p50_us": scenario["p50_us"],
        "p99_us": scenario["p99_us"],
        "ceiling": ceiling["name"],
        "ceiling_rps": ceiling["rps"],
        "share": share,
        "server_cpu_us": scenario["server_cpu_per_request_us"],
        "postgres_cpu_us": scenario["postgres_cpu_per_request_us"],
        "paced_postgres_cpu_us": scenario.get("paced_postgres_cpu_per_request_us"),
        "peak_kib": scenario["peak_memory_kib"],
        "unexpected": scenario["unexpected_total"],
        "busy": scenario["machine_busy_share"],
        "outside": scenario["outside_share"],
        "shared_cpu": scenario.get("shared_cpu", False),
        "ceiling_p50_us": ceiling.get("p50_us"),
        "ceiling_p99_us": ceiling.get("p99_us"),
        "ceiling_cpu_us": ceiling.get("ceiling_cpu_per_request_us"),
        "ceiling_unexpected": ceiling.get("unexpected", 0),
        "ceiling_busy": ceiling["machine_busy_share"],
        "ceiling_outside": ceiling["outside_share"],
    }


HEADER = ("| scenario | req/s | p50 | p99 | ceiling | ceiling req/s | share of ceiling | server CPU/req "
          "| PostgreSQL CPU/req | PostgreSQL CPU/req, pgbench at this rate | peak memory | unexpected | machine busy "
          "| other processes |")
RULE = "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"


def table(rows):
    lines = [HEADER, RULE]
    for row in rows:
        mark = " †" if row["shared_cpu"] else ""
        lines.append(
            f"| {row['scenario']} | {fmt_int(row['rps'])} | {fmt_ms(row['p50_us'])} | {fmt_ms(row['p99_us'])} "
            f"| {row['ceiling']} | {fmt_int(row['ceiling_rps'])} | {fmt_share(row['share'])} "
            f"| {fmt_cpu(row['server_cpu_us'])}{mark} | {fmt_cpu(row['postgres_cpu_us'])}{mark} "
            f"| {fmt_cpu(row['paced_postgres_cpu_us'])} | {fmt_mib(row['peak_kib'])} | {fmt_int(row['unexpected'])} "
            f"| {fmt_share(row['busy'])} | {fmt_share(row['outside'])} |")
    return "\n".join(lines)


def ceiling_table(rows):
    lines = ["| ceiling | req/s | p50 | p99 | CPU/req of the ceiling's server | unexpected | machine busy "
             "| other processes |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    shown = set()
    for row in rows:
        # The reads alone are a scenario, not a ceiling; the bcrypt ceiling serves two rows.
        if row["ceiling"].startswith("GET /tasks/{id} alone") or row["ceiling"] in shown:
            continue
        shown.add(row["ceiling"])
        lines.append(
            f"| {row['ceiling']} | {fmt_int(row['ceiling_rps'])} | {fmt_ms(row['ceiling_p50_us'])} "
            f"| {fmt_ms(row['ceiling_p99_us'])} | {fmt_cpu(row['ceiling_cpu_us'])} "
            f"| {fmt_int(row['ceiling_unexpected'])} | {fmt_share(row['ceiling_busy'])} "
            f"| {fmt_share(row['ceiling_outside'])} |")
    return "\n".join(lines)


def medians(rounds):
    merged = []
    for index, first in enumerate(rounds[0]):
        row = dict(first)
        for key, value in first.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values = [r[index][key] for r in rounds if r[index][key] is not None]
                row[key] = statistics.median(values) if values else None
        row["unexpected"] = sum(r[index]["unexpected"] for r in rounds)
        row["ceiling_unexpected"] = sum(r[index]["ceiling_unexpected"] or 0 for r in rounds)
        merged.append(row)
    return merged


NOTES = """\
share of ceiling: req/s over the ceiling's req/s in the same round (medians: the median of the rounds' shares).
CPU/req: CPU seconds (utime+stime from /proc) over the run / requests answered; PostgreSQL: the postmaster and
all its children, exited backends included. pgbench at this rate: the ceiling's statements with pgbench --rate
set to the scenario's req/s, PostgreSQL's CPU per transaction at the server's load. peak memory: the server's
VmHWM, reset before each run.
unexpected: connection errors, timeouts and answers other than the scenario's (2xx; 401 for the no-token rows),
summed over rounds in the medians table. machine busy: share of all cores busy during the run (/proc/stat).
other processes: the share of all cores taken by processes outside the benchmark (machine busy less the server,
PostgreSQL, nginx, wrk, pgbench and bench.py): a round where it is high was disturbed.
† login storm: one run with both loads; CPU per request is the run's CPU over reads and logins together."""


# ---- start-up


def start_server(binary, work, database_url):
    environment = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("SQLITE_", "DATABASE_URL", "BENCH_", "TEST_POSTGRES"))
    }
    environment.update(
        DATABASE_URL=database_url, RATE_LIMITS="off", LOG_LEVEL="error", BCRYPT_COST=str(BCRYPT_COST),
        JWT_SECRET=JWT_SECRET, ACCESS_TOKEN_EXPIRE_MINUTES="1440", METRICS_ENABLED="false",
    )
    return start_answering(lambda port: [binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)],
                           environment, work, "server")


def start_lean_stack(binary, work, database_url):
    """Benchmarks/LeanStack's server on the service's database (migrated and seeded by the service), with the same
    JWT secret so the seeded tokens work."""
    environment = dict(os.environ, DATABASE_URL=database_url, JWT_SECRET=JWT_SECRET)
    return start_answering(lambda port: [binary], environment, work, "lean-stack")


def start_answering(command, environment, work, name):
    """Starts `command(port)` on a free port (also given as PORT) and waits until its /health answers 200: the
    process, the port, and the seconds that took. Its output goes to WORK/NAME.log."""
    port = free_port()
    log_file = open(os.path.join(work, f"{name}.log"), "w")
    began = time.monotonic()
    process = spawn(command(port), cwd=work, env=dict(environment, PORT=str(port)), stdout=log_file,
                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process, port, time.monotonic() - began
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the {name} exited with {process.returncode}: see {work}/{name}.log")
        if time.monotonic() - began > 60:
            raise RuntimeError(f"the {name} did not answer /health within 60 s")
        time.sleep(0.02)


def nginx_binary():
    found = shutil.which("nginx")
    if found:
        return found
    if os.access("/usr/sbin/nginx", os.X_OK):
        return "/usr/sbin/nginx"
    raise RuntimeError("nginx not found: apt-get install nginx")


def nginx_quote(text):
    if "$" in text or "\n" in text:
        raise RuntimeError(f"cannot write this into nginx.conf: {text!r}")
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def start_nginx(api, work):
    """nginx answering POST /tasks with the server's own 401: the same status, body and headers (x-request-id from
    nginx's $request_id, date and connection its own), keeping connections open like the server does."""
    status, headers, body = api.call("POST", "/tasks", '{"title":"Benchmark task","description":"created under load"}',
                                     {"Content-Type": "application/json"})
    if status != 401:
        raise RuntimeError(f"POST /tasks without a token answered {status}")
    directory = os.path.join(work, "nginx")
    os.makedirs(directory)
    os.chmod(work, 0o711)
    port = free_port()
    content_type = "application/octet-stream"
    add_headers = []
    for name, value in headers:
        lower = name.lower()
        if lower in ("date", "content-length", "connection", "server", "transfer-encoding"):
            continue
        if lower == "content-type":
            content_type = value
        elif lower == "x-request-id":
            add_headers.append(f"            add_header {name} $request_id always;")
        else:
            add_headers.append(f"            add_header {name} {nginx_quote(value)} always;")
    configuration = f"""daemon off;
worker_processes {os.cpu_count() or 2};
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    access_log off;
    server_tokens off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            default_type {nginx_quote(content_type)};
{chr(10).join(add_headers)}
            return {status} {nginx_quote(body.decode())};
        }}
    }}
}}
"""
    path = os.path.join(directory, "nginx.conf")
    with open(path, "w") as f:
        f.write(configuration)
    binary = nginx_binary()
    arguments = ["-p", directory, "-e", os.path.join(directory, "error.log"), "-c", path]
    subprocess.run([binary, "-t", *arguments], check=True, capture_output=True, timeout=30)
    process = spawn([binary, *arguments], stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, "stderr.log"), "w"))
    process.is_nginx = True
    began = time.monotonic()
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("POST", "/tasks", body="{}", headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            if response.status == status and answer == body:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() - began > 20:
            raise RuntimeError(f"nginx did not answer: see {directory}/error.log")
        time.sleep(0.05)
    return process, port


def describe_machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return f"{os.cpu_count()} cores ({model or platform.machine()}), load average before the run {load}"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: bench.py path/to/TaskAPIServer WORK-DIRECTORY (run through Benchmarks/bench.sh)")
    binary, work = sys.argv[1], sys.argv[2]
    for name in ("BENCH_PG_URL", "BENCH_PG_DIR", "BENCH_PG_BIN", "BENCH_PG_PORT"):
        if not os.environ.get(name):
            sys.exit(f"{name} is not set: run Benchmarks/bench.sh")
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install wrk")
    pgbench_path = os.path.join(os.environ["BENCH_PG_BIN"], "pgbench")
    if not os.access(pgbench_path, os.X_OK):
        pgbench_path = shutil.which("pgbench") or sys.exit("pgbench not found: apt-get install postgresql-contrib")
    with open(os.path.join(os.environ["BENCH_PG_DIR"], "data", "postmaster.pid")) as f:
        postmaster_pid = int(f.readline())

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
    try:
        began = time.monotonic()
        server, port, startup_s = start_server(binary, work, os.environ["BENCH_PG_URL"])
        api = API(port)
        log(f"server up in {startup_s * 1000:.0f} ms; seeding through the API")
        users = seed(api)
        nginx, nginx_port = start_nginx(api, work)
        api.connection.close()
        context = {
            "base": f"http://127.0.0.1:{port}",
            "nginx_base": f"http://127.0.0.1:{nginx_port}",
            "server_pid": server.pid,
            "postmaster_pid": postmaster_pid,
            "nginx_pid": nginx.pid,
            "users": users,
            "pgbench": pgbench_path,
            "pg_port": int(os.environ["BENCH_PG_PORT"]),
            "python_bcrypt": have_python_bcrypt() and os.environ.get("BCRYPT_CEILING", "python") != "server",
        }
        if LEAN_STACK:
            lean, lean_port, _ = start_lean_stack(LEAN_STACK, work, os.environ["BENCH_PG_URL"])
            context.update(lean_pid=lean.pid, lean_base=f"http://127.0.0.1:{lean_port}")
        idle_kib = memory_kib(server.pid, "VmRSS")
        pg_version = subprocess.run([os.path.join(os.environ["BENCH_PG_BIN"], "postgres"), "--version"],
                                    capture_output=True, text=True, timeout=30).stdout.split()[2]
        durable = os.environ.get("BENCH_PG_DURABLE") == "1"
        build = "debug" if "/debug/" in os.path.realpath(os.environ.get("BENCH_BINARY_SOURCE", binary)) else \
            "release" if "/release/" in os.path.realpath(os.environ.get("BENCH_BINARY_SOURCE", binary)) else "unknown"
        print(f"# Benchmarks/bench.sh, {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}")
        print()
        print(f"- binary: {os.environ.get('BENCH_BINARY_SOURCE', binary)} ({build} build, judged by its path)")
        print(f"- machine: {describe_machine()}; wrk, pgbench, nginx, PostgreSQL and the server share it")
        print(f"- PostgreSQL {pg_version}, throwaway, 127.0.0.1, "
              + ("durable defaults (fsync on)" if durable else
                 "fsync=off and synchronous_commit=off (commits are not flushed: writes look cheaper than on a "
                 "durable database)"))
        print(f"- server: RATE_LIMITS=off LOG_LEVEL=error BCRYPT_COST={BCRYPT_COST}, fixed JWT_SECRET; start-up to "
              f"the first /health answer {startup_s * 1000:.0f} ms (fresh database, migrations included), "
              f"{fmt_mib(idle_kib)} resident after seeding")
        print(f"- load: wrk {THREADS} threads, {CONNECTIONS} connections, {DURATION} s per run, {ROUNDS} interleaved "
              f"round(s); pgbench -M prepared (the list: -M extended), {PGBENCH_CLIENTS} clients, {min(THREADS, PGBENCH_CLIENTS)} threads, "
              f"{DURATION} s; login storm: {LOGIN_CONCURRENCY} login connections beside the reads")
        print("- bcrypt ceiling: " + (
            f"python's bcrypt package, {LOGIN_CONCURRENCY} processes checking a cost-{BCRYPT_COST} hash"
            if context["python_bcrypt"] else
            "the server's own logins one at a time (one wrk connection), times min(LOGIN_CONCURRENCY, cores)"
            + ("" if have_python_bcrypt() else ": python's bcrypt package is missing (pip install bcrypt)")))
        if LEAN_STACK:
            print("- lean stack: Benchmarks/LeanStack (Hummingbird 2, PostgresClient, the same statements; no "
                  "validation, no OpenAPI layer), on the same database and tokens, each of its rows run right after "
                  "the service's and measured against the same ceiling")
        print("- data: two users with 100 tasks each, made through the API; the reader's tasks are read and listed, "
              "the writer creates, updates and deletes")
        print(flush=True)

        if os.environ.get("PROFILE"):
            profile(context, os.environ["PROFILE"], work)
            return
        rounds = []
        raw = []
        for number in range(1, ROUNDS + 1):
            pairs = one_round(context, number, work)
            raw.append(pairs)
            rows = [summarise(scenario, ceiling) for scenario, ceiling in pairs]
            rounds.append(rows)
            print(f"## Round {number} of {ROUNDS}")
            print()
            print(table(rows))
            print(flush=True)
        final = medians(rounds)
        print(f"## Medians of {ROUNDS} round(s)")
        print()
        print(table(final))
        print()
        print(ceiling_table(final))
        print()
        print(NOTES)
        print()
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
        print(f"Whole run: {time.monotonic() - began:.0f} s; load average at its end {load}.", flush=True)
        if os.environ.get("BENCH_JSON"):
            with open(os.environ["BENCH_JSON"], "w") as f:
                json.dump({"rounds": rounds, "medians": final, "raw": raw}, f, indent=1, default=str)
        if server.poll() is not None:
            raise RuntimeError(f"the server exited during the run ({server.returncode})")
        bad = [row["scenario"] for row in final if row["unexpected"]] + \
            [row["ceiling"] for row in final if row["ceiling_unexpected"]]
        if bad:
            raise RuntimeError("unexpected answers or errors (the numbers above are not valid) in: " + ", ".join(bad))
    finally:
        stop_everything()


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(1)
