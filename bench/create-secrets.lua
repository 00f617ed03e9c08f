-- wrk script: each request creates an account secret whose key is unique per run, wrk thread and
-- request, so that every create is a new row (a duplicate key would be rejected with 409).
-- Usage: wrk ... -s create-secrets.lua URL -- RUN_NAME   (RUN_NAME keeps keys of runs apart)

local thread_count = 0

function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

wrk.method = "POST"
wrk.path = "/v1/Secrets"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local run_name = "run"
local sent = 0

function init(args)
  run_name = args[1] or run_name
end

function request()
  sent = sent + 1
  local body = "Key=" .. run_name .. "-" .. thread_id .. "-" .. sent .. "&Value=not-a-real-secret-" .. sent
  return wrk.format(nil, nil, nil, body)
end
