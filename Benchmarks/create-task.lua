-- wrk script: POST /tasks with the bearer token from the TOKEN environment variable.
wrk.method = "POST"
wrk.body = '{"title":"Benchmark task","description":"created under load"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
