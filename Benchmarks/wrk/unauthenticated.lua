-- POST /tasks without a token: 401 before any database work. Ceiling: nginx answering the same status, headers
-- and body (Benchmarks/bench.py writes its configuration from the server's own 401).
dofile("report.lua")
wrk.method = "POST"
-- Benchmarks/layer-costs.py also aims it at a bare Vapor route answering the same bytes.
wrk.path = os.getenv("UNAUTHENTICATED_PATH") or "/tasks"
wrk.body = '{"title":"Benchmark task","description":"created under load"}'
wrk.headers["Content-Type"] = "application/json"
