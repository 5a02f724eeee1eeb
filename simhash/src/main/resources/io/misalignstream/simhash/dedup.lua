#!lua name=misalign_dedup

-- The near-duplicate index's atomic steps. Keys: KEYS[1] the accepted-prompt log (a string of
-- entries), KEYS[2] the index's epoch, KEYS[3..] the id-decision hashes a call touches. All keys of one
-- index share one hash tag, so they live in one slot of a Redis Cluster.

-- Commit a batch of decisions made against the log at a given length, or say why not:
--   {'ok', length}          appended and recorded
--   {'stale', length}       the log moved (another replica appended): read the tail and decide again
--   {'known', id, v, ...}   some ids were decided meanwhile: take those decisions and decide again
--   {'lost', reason}        the index is gone (never initialised, or the data was lost)
-- ARGV: epoch, expected length, n, then per decision: hash key index (into KEYS), id, value, log entry ('' if none).
local function commit(keys, args)
  local epoch = redis.call('GET', keys[2])
  if not epoch then
    return {'lost', 'the index has no epoch: it was never initialised, or its data was lost'}
  end
  local length = redis.call('STRLEN', keys[1])
  if epoch ~= args[1] or length ~= tonumber(args[2]) then
    return {'stale', length}
  end
  local n = tonumber(args[3])
  local known = {'known'}
  for i = 0, n - 1 do
    local at = 4 + i * 4
    local value = redis.call('HGET', keys[tonumber(args[at])], args[at + 1])
    if value then
      known[#known + 1] = args[at + 1]
      known[#known + 1] = value
    end
  end
  if #known > 1 then
    return known
  end
  for i = 0, n - 1 do
    local at = 4 + i * 4
    if args[at + 3] ~= '' then
      redis.call('APPEND', keys[1], args[at + 3])
    end
    redis.call('HSET', keys[tonumber(args[at])], args[at + 1], args[at + 2])
  end
  return {'ok', redis.call('STRLEN', keys[1])}
end

-- Start an empty index under the given epoch unless the keys already hold one. 1 when started.
local function initialize(keys, args)
  if redis.call('EXISTS', keys[2]) == 1 or redis.call('STRLEN', keys[1]) > 0 then
    return 0
  end
  redis.call('SET', keys[2], args[1])
  return 1
end

redis.register_function('misalign_dedup_commit_v1', commit)
redis.register_function('misalign_dedup_initialize_v1', initialize)
