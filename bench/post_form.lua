-- wrk script: each request is a new call-back request with a fresh submission id.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + number * 7919)
  token = os.getenv("PV_TOKEN") or ""
  path = os.getenv("PV_PATH") or "/formulaires/rappel"
  -- Browsers send Origin with every form POST: the backend checks it, so the load run does too.
  origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
end

local function uuid()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  counter = counter + 1
  local body = "id=" .. uuid() .. "&jeton=" .. token ..
    "&prenom=Ines&telephone=0612345678&email=&commune=Frouard&age=19&canal=sms&consentement=oui&source=bench"
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = origin}, body)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'PVJSON {"requests": %d, "duration_s": %.3f, "p50_ms": %.2f, "p99_ms": %.2f, "errors": %d, "http_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status))
end
