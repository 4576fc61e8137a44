-- POST /tasks without a token: 401 before any database work. Ceiling: nginx answering the same status, headers
-- and body (Benchmarks/bench.py writes its configuration from the server's own 401).
dofile("report.lua")
wrk.method = "POST"
wrk.path = "/tasks"
wrk.body = '{"title":"Benchmark task","description":"created under load"}'
wrk.headers["Content-Type"] = "application/json"
