-- wrk script for the bench: signed GitHub push bodies (pre-signed variants) with a fresh X-GitHub-Delivery per request.
local bodies, sigs, sigs1 = {}, {}, {}
local counter = 0
local tid = 0
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    local sig, sig1, body = line:match("^(%S+)\t(%S+)\t(.*)$")
    bodies[#bodies + 1] = body
    sigs[#sigs + 1] = sig
    sigs1[#sigs1 + 1] = sig1
  end
  run = os.getenv("BENCH_RUN") or "00000000"
end

function request()
  counter = counter + 1
  local i = counter % #bodies + 1
  local id = string.format("%s-%04x-4000-8000-%012x", run, tid, counter)
  return wrk.format("POST", nil, {
    ["Accept"] = "*/*",
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "GitHub-Hookshot/bench",
    ["X-GitHub-Delivery"] = id,
    ["X-GitHub-Event"] = "push",
    ["X-GitHub-Hook-ID"] = "482309511",
    -- Body i is the push of repository (i - 1) % 16 (bench/lib/payload.mjs repoId): one ordering key per repository.
    ["X-GitHub-Hook-Installation-Target-ID"] = tostring(186853002 + (i - 1) % 16),
    ["X-GitHub-Hook-Installation-Target-Type"] = "repository",
    ["X-Hub-Signature"] = sigs1[i],
    ["X-Hub-Signature-256"] = sigs[i],
  }, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
