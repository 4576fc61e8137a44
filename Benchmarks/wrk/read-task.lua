-- GET /tasks/{id}: one of the reader's 100 tasks, picked at random, with its access token.
-- Environment: TOKEN, FIRST_ID, LAST_ID. PostgreSQL ceiling: Benchmarks/sql/read-task.sql.
dofile("report.lua")

local requests = {}
local count = 0

function init(args)
    local first, last = tonumber(os.getenv("FIRST_ID")), tonumber(os.getenv("LAST_ID"))
    local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
    for id = first, last do
        table.insert(requests, wrk.format("GET", "/tasks/" .. id, headers))
    end
    math.randomseed(os.time() + tonumber(tostring(requests):match("0x(%x+)") or "0", 16))
    count = #requests
end

function request()
    return requests[math.random(count)]
end
