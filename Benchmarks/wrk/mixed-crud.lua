-- Mixed CRUD as the writer, a cycle of ten requests per wrk thread: 6 reads (60%) of the writer's 100 seeded
-- tasks, 2 creates, 1 PATCH of a seeded task's title and 1 delete of a task this thread created. Every answer must
-- be 200, 201 or 204 (else it counts as unexpected). Environment: TOKEN, FIRST_ID, LAST_ID.
-- PostgreSQL ceiling: Benchmarks/sql/mixed-crud.sql, the same cycle.
dofile("report.lua")

local cycle = { "create", "read", "read", "create", "read", "update", "read", "delete", "read", "read" }
local step = 0
local updates = 0
local created = {}
local first, last, headers, json_headers, create_body
unexpected = 0

function init(args)
    first, last = tonumber(os.getenv("FIRST_ID")), tonumber(os.getenv("LAST_ID"))
    local auth = "Bearer " .. os.getenv("TOKEN")
    headers = { ["Authorization"] = auth }
    json_headers = { ["Authorization"] = auth, ["Content-Type"] = "application/json" }
    create_body = '{"title":"Benchmark task","description":"created under load"}'
    math.randomseed(os.time() + tonumber(tostring(created):match("0x(%x+)") or "0", 16))
end

function request()
    step = step % #cycle + 1
    local kind = cycle[step]
    if kind == "delete" and #created == 0 then kind = "create" end
    if kind == "create" then
        return wrk.format("POST", "/tasks", json_headers, create_body)
    elseif kind == "update" then
        updates = updates + 1
        return wrk.format("PATCH", "/tasks/" .. math.random(first, last), json_headers,
            '{"title":"Updated ' .. updates .. '"}')
    elseif kind == "delete" then
        return wrk.format("DELETE", "/tasks/" .. table.remove(created, 1), headers)
    end
    return wrk.format("GET", "/tasks/" .. math.random(first, last), headers)
end

function response(status, headers, body)
    if status == 201 then
        local id = body and body:match('"id":%s*(%d+)')
        if id then table.insert(created, id) end
    elseif status ~= 200 and status ~= 204 then
        unexpected = unexpected + 1
    end
end
