-- wrk script for the guest HTTP load test: every response must be 200 with exactly the served
-- file's bytes; done() prints the number of responses that were not (BAD n).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  local f = assert(io.open(args[1], "rb"))
  expected = f:read("*a")
  f:close()
end

function response(status, headers, body)
  if status ~= 200 or body ~= expected then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do
    n = n + t:get("bad")
  end
  io.write("BAD " .. n .. "\n")
end
