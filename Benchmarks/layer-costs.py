#!/usr/bin/env python3
"""What each HTTP layer costs on its own, on the path with no database work: POST /tasks without a token (401).

Runs the TaskAPILayerCosts binary (Benchmarks/LayerCosts/main.swift) once per prefix of the service's Vapor
middlewares, from none to all of them, and in each measures with wrk (Benchmarks/wrk/unauthenticated.lua, DURATION
seconds, CONNECTIONS connections, 127.0.0.1 only):
  - a bare Vapor route answering the same 401 bytes, so each row's difference is one middleware's cost;
  - the generated OpenAPI route (POST /tasks through OpenAPIVapor, BearerAuthMiddleware's 401), where the
    configuration can answer it (the 401 needs the service's ErrorMiddleware).
Prints a Markdown table: requests per second and the server's CPU per request (utime+stime from /proc).

Usage: Benchmarks/layer-costs.py path/to/TaskAPILayerCosts      (swift build -c release --product TaskAPILayerCosts)
"""
import http.client
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the instrument's process, wrk and /proc helpers)

BARE, GENERATED = "/bare/tasks", "/tasks"


def status_of(port, path):
    """The status POST `path` answers, or None for a connection closed without an answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", path, body='{"title":"x"}', headers={"Content-Type": "application/json"})
        return connection.getresponse().status
    except http.client.RemoteDisconnected:
        return None
    finally:
        connection.close()


def serve(binary, layers):
    port = bench.free_port()
    server = bench.spawn([binary, str(port), str(layers)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    began = time.monotonic()
    while True:
        try:
            status_of(port, BARE)
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() - began > 60:
                raise RuntimeError(f"TaskAPILayerCosts with {layers} layers did not start")
            time.sleep(0.02)


def load(server, port, path):
    before = bench.process_cpu(server.pid)
    result = bench.wrk("unauthenticated.lua", f"http://127.0.0.1:{port}", bench.CONNECTIONS,
                       {"UNAUTHENTICATED_PATH": path})
    result["cpu_us"] = (bench.process_cpu(server.pid) - before) / max(result["requests"], 1) * 1e6
    if result["connect_errors"] + result["read_errors"] + result["write_errors"] + result["timeouts"]:
        raise RuntimeError(f"{path}: connection errors or timeouts under load: {result}")
    return result


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        sys.exit(__doc__)
    binary = sys.argv[1]
    names = subprocess.run([binary, "--list"], capture_output=True, text=True, timeout=60, check=True).stdout.split()
    print(f"# HTTP layer costs: POST /tasks without a token, wrk {bench.CONNECTIONS} connections, {bench.DURATION} s "
          f"per run, {os.cpu_count()} cores shared by wrk and the server")
    print()
    print("| Vapor middlewares | bare Vapor route: req/s | CPU/req | the last layer's CPU/req | "
          "generated OpenAPI route: req/s | CPU/req | the generated route's extra CPU/req |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    previous = None
    try:
        for count in range(len(names) + 1):
            server, port = serve(binary, count)
            try:
                if status_of(port, BARE) != 401:
                    raise RuntimeError("the bare route does not answer 401")
                bare = load(server, port, BARE)
                # Before ErrorMiddleware, nothing answers the generated route's thrown 401: the server logs
                # "No response to write" for this probe and closes its connection.
                generated = load(server, port, GENERATED) if status_of(port, GENERATED) == 401 else None
            finally:
                bench.stop(server)
            layer = "none" if count == 0 else f"+ {names[count - 1]}"
            added = f"{bench.fmt_cpu(bare['cpu_us'] - previous)}" if previous is not None else "–"
            columns = [layer, bench.fmt_int(bare["rps"]), bench.fmt_cpu(bare["cpu_us"]), added]
            if generated:
                columns += [bench.fmt_int(generated["rps"]), bench.fmt_cpu(generated["cpu_us"]),
                            bench.fmt_cpu(generated["cpu_us"] - bare["cpu_us"])]
            else:
                columns += ["– (not a 401 without ErrorMiddleware)", "–", "–"]
            print("| " + " | ".join(columns) + " |", flush=True)
            previous = bare["cpu_us"]
    finally:
        bench.stop_everything()


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as error:
        print(f"layer-costs: {error}", file=sys.stderr)
        sys.exit(1)
