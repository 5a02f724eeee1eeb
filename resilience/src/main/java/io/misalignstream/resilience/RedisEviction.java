package io.misalignstream.resilience;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a Redis may evict durable state (the near-duplicate index, the expander's counts and slots) to make room,
 * read from {@code INFO memory}. State keys carry no TTL and caches always do, so a Redis is safe for state when it has
 * no memory limit, or evicts nothing ({@code noeviction}), or evicts only keys with a TTL ({@code volatile-*}); an
 * {@code allkeys-*} policy with a limit may drop any accepted prompt's fingerprint, and a dedup stage that forgets
 * accepted prompts lets near-duplicates through without a sign. {@code INFO} is read, not {@code CONFIG GET}: managed
 * Redis services often refuse {@code CONFIG}.
 *
 * @param maxMemory bytes ({@code maxmemory}), 0 for no limit
 * @param policy    {@code maxmemory-policy}, e.g. {@code noeviction}, {@code allkeys-lru}
 */
public record RedisEviction(long maxMemory, String policy) {

    /** Reads {@code maxmemory} and {@code maxmemory_policy} from the reply of {@code INFO memory}. */
    public static RedisEviction fromInfo(String info) {
        long maxMemory = -1;
        String policy = null;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("maxmemory:")) {
                maxMemory = Long.parseLong(line.substring("maxmemory:".length()).trim());
            } else if (line.startsWith("maxmemory_policy:")) {
                policy = line.substring("maxmemory_policy:".length()).trim();
            }
        }
        if (maxMemory < 0 || policy == null) {
            throw new IllegalArgumentException("INFO memory names no maxmemory or maxmemory_policy");
        }
        return new RedisEviction(maxMemory, policy);
    }

    /**
     * Why state kept in this Redis could be evicted, for a readiness check; empty when it cannot be, or when the Redis
     * cannot be asked now (its availability is reported by the caller's own checks).
     *
     * @param infoMemory the reply of {@code INFO memory} from the state's Redis
     */
    public static Optional<String> stateRisk(Supplier<String> infoMemory) {
        RedisEviction eviction;
        try {
            eviction = fromInfo(infoMemory.get());
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
        return eviction.evictsState()
                ? Optional.of("Redis may evict any key when full (maxmemory-policy " + eviction.policy + ", maxmemory " + eviction.maxMemory
                        + " bytes): durable state needs noeviction or a volatile-* policy (docs/operations.md, Redis roles)")
                : Optional.empty();
    }

    /** Whether a key without a TTL can be evicted. */
    public boolean evictsState() {
        return maxMemory > 0 && !policy.equals("noeviction") && !policy.startsWith("volatile-");
    }
}
