-- POST /tasks as the writer. Environment: TOKEN. PostgreSQL ceiling: Benchmarks/sql/create-task.sql.
dofile("report.lua")
wrk.method = "POST"
wrk.path = "/tasks"
wrk.body = '{"title":"Benchmark task","description":"created under load"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
