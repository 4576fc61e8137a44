-- POST /auth/login (the OAuth2 password form) as the reader: one bcrypt check, then a new session.
-- Environment: USERNAME, PASSWORD. Ceiling: bcrypt checks per second at the configured cost (Benchmarks/bench.py).
dofile("report.lua")
wrk.method = "POST"
wrk.path = "/auth/login"
wrk.body = "username=" .. os.getenv("USERNAME") .. "&password=" .. os.getenv("PASSWORD")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
