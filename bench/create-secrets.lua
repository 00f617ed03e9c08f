-- wrk script: each request creates an account secret whose key is unique per wrk thread and
-- request, so that every create is a new row (a duplicate key would be rejected with 409).

local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

wrk.method = "POST"
wrk.path = "/v1/Secrets"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local sent = 0

function request()
  sent = sent + 1
  local body = "Key=bench-" .. thread_id .. "-" .. sent .. "&Value=not-a-real-secret-" .. sent
  return wrk.format(nil, nil, nil, body)
end
