package io.misalignstream.expander.service;

import com.dynatrace.hash4j.hashing.Hashing;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.expander.domain.DomainCoverage;
import io.misalignstream.expander.domain.DomainKey;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The expansion state in Redis, shared by every replica, each change one atomic script:
 * <ul>
 * <li>{@code seen:<dim>:<domain>}: a set of the prompt ids counted in the domain (originals and kept synthetic
 * prompts), so a re-delivered record never counts twice;</li>
 * <li>{@code reservoir:<dim>:<domain>}: a uniform sample of at most {@code reservoir-size} original prompts of the
 * domain ({@code id TAB text}), for few-shot generation;</li>
 * <li>{@code slots:<dim>:<domain>}: generation slot number to {@code c:<claimed at ms>}, {@code kept} or
 * {@code dropped}, and {@code next:<dim>:<domain>} the next slot number: a slot is claimed once, by one replica;</li>
 * <li>{@code prepared:<dim>:<domain>}: slot number to the candidate record it is publishing, from before it is
 * published until the slot finishes;</li>
 * <li>{@code epoch}: made with the state, part of every synthetic id, so a state started afresh (lost, or deleted)
 * numbers its slots from 0 again under new ids.</li>
 * </ul>
 */
@ApplicationScoped
public class CoverageStore implements SlotLedger {

    // Per domain: count the id once; a newly counted original enters the reservoir (Algorithm R, with the
    // replacement index drawn from the id's hash so that the same record always lands the same way).
    private static final String OBSERVE = """
            local counted = {}
            for i = 1, #KEYS, 2 do
              local added = redis.call('SADD', KEYS[i], ARGV[1])
              counted[#counted + 1] = added
              if added == 1 then
                local n = redis.call('SCARD', KEYS[i])
                local size = tonumber(ARGV[3])
                if n <= size then
                  redis.call('RPUSH', KEYS[i + 1], ARGV[2])
                else
                  local j = tonumber(ARGV[4]) % n
                  if j < size then redis.call('LSET', KEYS[i + 1], j, ARGV[2]) end
                end
              end
            end
            return counted
            """;

    // A stale claim (its replica died mid-generation) is claimed again first; otherwise a new slot while the
    // domain's count plus its generations in flight is under target and its budget is not spent. The epoch is read,
    // or made if the state was lost, in the same step: a slot number is only ever paired with its state's epoch.
    private static final String CLAIM = """
            redis.call('SET', KEYS[4], ARGV[5], 'NX')
            local epoch = redis.call('GET', KEYS[4])
            local now = tonumber(ARGV[3])
            local timeout = tonumber(ARGV[4])
            local slots = redis.call('HGETALL', KEYS[2])
            local inflight = 0
            for i = 1, #slots, 2 do
              local state = slots[i + 1]
              if string.sub(state, 1, 2) == 'c:' then
                if now - tonumber(string.sub(state, 3)) > timeout then
                  redis.call('HSET', KEYS[2], slots[i], 'c:' .. now)
                  return {epoch, tonumber(slots[i])}
                end
                inflight = inflight + 1
              end
            end
            local count = redis.call('SCARD', KEYS[1])
            local generated = tonumber(redis.call('GET', KEYS[3]) or '0')
            if count + inflight >= tonumber(ARGV[1]) or generated >= tonumber(ARGV[2]) then return {epoch, -1} end
            local slot = redis.call('INCR', KEYS[3]) - 1
            redis.call('HSET', KEYS[2], slot, 'c:' .. now)
            return {epoch, slot}
            """;

    private static final String FINISH = """
            if ARGV[3] == 'kept' then redis.call('SADD', KEYS[1], ARGV[2]) end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            redis.call('HDEL', KEYS[3], ARGV[1])
            return 1
            """;

    private static final String COVERAGE = """
            local slots = redis.call('HVALS', KEYS[2])
            local dropped, inflight = 0, 0
            for _, state in ipairs(slots) do
              if state == 'dropped' then dropped = dropped + 1 elseif string.sub(state, 1, 2) == 'c:' then inflight = inflight + 1 end
            end
            return {redis.call('SCARD', KEYS[1]), tonumber(redis.call('GET', KEYS[3]) or '0'), dropped, inflight}
            """;

    private final RedisDataSource redis;
    private final String prefix;
    private final int reservoirSize;
    private final long slotTimeoutMillis;

    public CoverageStore(RedisDataSource redis, ExpanderConfig config) {
        this.redis = redis;
        this.prefix = "expander:" + config.stateName() + ":";
        this.reservoirSize = config.reservoirSize();
        this.slotTimeoutMillis = config.slotTimeout().toMillis();
    }

    /**
     * Counts a prompt in its domains (once per id) and offers it to their reservoirs.
     *
     * @return per domain, in order, whether the prompt was counted now (false: seen before)
     */
    public List<Boolean> observe(String id, String text, List<DomainKey> domains) {
        List<String> args = new ArrayList<>();
        args.add("EVAL");
        args.add(OBSERVE);
        args.add(String.valueOf(domains.size() * 2));
        for (DomainKey key : domains) {
            args.add(key(key, "seen"));
            args.add(key(key, "reservoir"));
        }
        args.add(id);
        args.add(id + "\t" + text);
        args.add(String.valueOf(reservoirSize));
        // XXH3 of the id: stable across JVMs and releases, unlike String.hashCode's contract.
        args.add(String.valueOf(Long.remainderUnsigned(Hashing.xxh3_64().hashBytesToLong(id.getBytes(StandardCharsets.UTF_8)), 1_000_000_007L)));
        Response counted = execute(args);
        List<Boolean> result = new ArrayList<>(domains.size());
        for (Response flag : counted) {
            result.add(flag.toInteger() == 1);
        }
        return result;
    }

    @Override
    public Optional<Claim> claim(DomainKey key, int target, int budget) {
        Response claimed = execute(List.of("EVAL", CLAIM, "4", key(key, "seen"), key(key, "slots"), key(key, "next"), prefix + "epoch",
                String.valueOf(target), String.valueOf(budget), String.valueOf(System.currentTimeMillis()),
                String.valueOf(slotTimeoutMillis), UUID.randomUUID().toString()));
        long slot = claimed.get(1).toLong();
        return slot < 0 ? Optional.empty() : Optional.of(new Claim(claimed.get(0).toString(), slot));
    }

    @Override
    public void prepare(DomainKey key, long slot, String candidate) {
        redis.execute("HSET", key(key, "prepared"), String.valueOf(slot), candidate);
    }

    @Override
    public Optional<String> prepared(DomainKey key, long slot) {
        Response candidate = redis.execute("HGET", key(key, "prepared"), String.valueOf(slot));
        return candidate == null ? Optional.empty() : Optional.of(candidate.toString());
    }

    @Override
    public void finish(DomainKey key, long slot, String syntheticId, boolean kept) {
        execute(List.of("EVAL", FINISH, "3", key(key, "seen"), key(key, "slots"), key(key, "prepared"), String.valueOf(slot), syntheticId,
                kept ? "kept" : "dropped"));
    }

    @Override
    public List<Example> reservoir(DomainKey key) {
        List<Example> examples = new ArrayList<>();
        for (Response entry : redis.execute("LRANGE", key(key, "reservoir"), "0", "-1")) {
            String value = entry.toString();
            int tab = value.indexOf('\t');
            examples.add(new Example(value.substring(0, tab), value.substring(tab + 1)));
        }
        return examples;
    }

    public DomainCoverage coverage(DomainKey key, int target) {
        Response values = execute(List.of("EVAL", COVERAGE, "3", key(key, "seen"), key(key, "slots"), key(key, "next")));
        return new DomainCoverage(key, values.get(0).toLong(), target, values.get(1).toLong(), values.get(2).toLong(), values.get(3).toLong());
    }

    private Response execute(List<String> command) {
        return redis.execute(command.get(0), command.subList(1, command.size()).toArray(String[]::new));
    }

    private String key(DomainKey key, String kind) {
        return prefix + kind + ":" + key.dimension().json() + ":" + key.domain();
    }
}
