package io.misalignstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisEvictionTest {

    // the lines of a Redis 7 INFO memory reply that matter, among others
    private static String info(long maxMemory, String policy) {
        return "# Memory\r\nused_memory:1046904\r\nmaxmemory:" + maxMemory + "\r\nmaxmemory_human:0B\r\nmaxmemory_policy:" + policy
                + "\r\nallocator_frag_ratio:1.00\r\n";
    }

    @Test
    void stateIsSafeWithoutALimitWithNoEvictionOrWhenOnlyKeysWithATtlAreEvicted() {
        assertThat(RedisEviction.stateRisk(() -> info(0, "allkeys-lru"))).as("no limit: nothing is evicted").isEmpty();
        assertThat(RedisEviction.stateRisk(() -> info(1 << 30, "noeviction"))).isEmpty();
        assertThat(RedisEviction.stateRisk(() -> info(1 << 30, "volatile-lru"))).as("state keys carry no TTL").isEmpty();
        assertThat(RedisEviction.stateRisk(() -> info(1 << 30, "volatile-ttl"))).isEmpty();
    }

    @Test
    void anAllKeysPolicyWithALimitPutsStateAtRiskAndSaysWhy() {
        assertThat(RedisEviction.stateRisk(() -> info(268_435_456, "allkeys-lru"))).hasValueSatisfying(reason ->
                assertThat(reason).contains("allkeys-lru").contains("268435456").contains("noeviction"));
        assertThat(RedisEviction.stateRisk(() -> info(1, "allkeys-random"))).isPresent();
        assertThat(RedisEviction.fromInfo(info(5, "allkeys-lfu"))).isEqualTo(new RedisEviction(5, "allkeys-lfu"));
    }

    @Test
    void aRedisThatCannotBeAskedIsLeftToTheAvailabilityChecks() {
        assertThat(RedisEviction.stateRisk(() -> {
            throw new IllegalStateException("Connection refused");
        })).isEmpty();
        assertThat(RedisEviction.stateRisk(() -> "# Memory\r\nused_memory:1\r\n")).isEmpty();
    }
}
