-- Loaded first by every scenario script of Benchmarks/bench.py (wrk runs with this folder as its working
-- directory): keeps each thread, and at the end prints one line "WRK_JSON {...}" with the request count, errors,
-- latency percentiles in microseconds, and the sum of the threads' `unexpected` counters (scripts that check
-- each response's status set it).
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function done(summary, latency, requests)
    local unexpected = 0
    for _, thread in ipairs(threads) do
        unexpected = unexpected + (tonumber(thread:get("unexpected")) or 0)
    end
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
        '"write_errors": %d, "status_errors": %d, "timeouts": %d, "unexpected": %d, "p50_us": %d, "p99_us": %d, ' ..
        '"mean_us": %.1f, "max_us": %d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        unexpected, latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
