-- GET /tasks: the reader's 100 tasks (the default page of 100), with X-Total-Count.
-- Environment: TOKEN. PostgreSQL ceiling: Benchmarks/sql/list-tasks.sql.
dofile("report.lua")
wrk.method = "GET"
wrk.path = "/tasks"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
