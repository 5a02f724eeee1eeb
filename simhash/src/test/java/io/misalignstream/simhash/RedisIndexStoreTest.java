package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis store and its Function on a real Redis 7. */
class RedisIndexStoreTest {

    private static final int K = 10;
    private static DevStack devStack;
    private static Vertx vertx;
    private static Redis redis;

    @BeforeAll
    static void start() {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(devStack.endpoints().redisUrl()).setMaxPoolSize(16));
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        devStack.close();
    }

    private static RedisIndexStore store(String scope) {
        return new RedisIndexStore(redis, scope, 1024, Duration.ofSeconds(10));
    }

    @Test
    void aSixteenCharacterIdAndTheHexIdItsBytesSpellAreDifferentPrompts() {
        RedisIndexStore store = store("test-" + UUID.randomUUID());
        store.initialize("epoch-1");
        NearDuplicateIndex index = new NearDuplicateIndex(store, K);
        String raw = "0123456789abcdef";
        String packed = "30313233343536373839616263646566"; // the hex of raw's bytes
        List<Decision> first = index.decide(List.of(new Candidate(raw, 1L), new Candidate(packed, ~1L)));
        assertThat(first).allMatch(Decision.Unique.class::isInstance);
        assertThat(new NearDuplicateIndex(store, K).decide(List.of(new Candidate(packed, ~1L), new Candidate(raw, 1L))))
                .containsExactly(first.get(1), first.get(0));
    }

    @Test
    void aRedisThatLostItsFunctionsGetsThemAgain() {
        RedisIndexStore store = store("test-" + UUID.randomUUID());
        send(Request.cmd(Command.FUNCTION).arg("FLUSH"));
        assertThat(store.initialize("epoch-1")).isTrue();
        send(Request.cmd(Command.FUNCTION).arg("FLUSH"));
        assertThat(new NearDuplicateIndex(store, K).decide(List.of(new Candidate("a", 1L)))).hasSize(1);
    }

    @Test
    void decisionsAreCommittedAndRedeliveriesAnsweredFromRedis() {
        String scope = "test-" + UUID.randomUUID();
        RedisIndexStore store = store(scope);
        assertThat(store.initialize("epoch-1")).isTrue();
        assertThat(store.initialize("epoch-2")).isFalse();

        NearDuplicateIndex index = new NearDuplicateIndex(store, K);
        String a = "76293af318d8508285abd3b94a8cc3c4";
        List<Decision> first = index.decide(List.of(new Candidate(a, 99L), new Candidate("b:2", 98L), new Candidate("c", ~99L)));
        assertThat(first.get(0)).isInstanceOf(Decision.Unique.class);
        assertThat(first.get(1)).isEqualTo(new Decision.Duplicate("b:2", 98L, a, 99L, 1));

        NearDuplicateIndex fresh = new NearDuplicateIndex(store(scope), K);
        assertThat(fresh.decide(List.of(new Candidate("b:2", 98L), new Candidate(a, 99L)))).containsExactly(first.get(1), first.get(0));
        assertThat(store.state().length()).isEqualTo(25 + 10); // one packed id, one 1-byte id
    }

    @Test
    void replicasRacingOnAStreamOfNearDuplicatesNeverAcceptTwoWithinK() throws Exception {
        String scope = "race-" + UUID.randomUUID();
        store(scope).initialize("epoch");
        List<Candidate> stream = DecisionOracle.nearDuplicateStream(new Random(11), 8000, K);
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        List<Future<List<Decision>>> results = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            int replica = r;
            // each replica gets its own share of the stream (a partition), in small batches
            results.add(pool.submit((Callable<List<Decision>>) () -> {
                NearDuplicateIndex index = new NearDuplicateIndex(store(scope), K);
                List<Decision> decided = new ArrayList<>();
                List<Candidate> batch = new ArrayList<>();
                for (int i = replica; i < stream.size(); i += replicas) {
                    batch.add(stream.get(i));
                    if (batch.size() == 25) {
                        decided.addAll(index.decide(batch));
                        batch.clear();
                    }
                }
                decided.addAll(index.decide(batch));
                return decided;
            }));
        }
        List<Decision> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<Decision>> result : results) {
            all.addAll(result.get());
        }
        pool.shutdown();
        // the same id may be decided by two replicas (a re-delivery to another partition): same decision
        List<Decision> byFirstDecision = new ArrayList<>(all);
        DecisionOracle.assertExact(byFirstDecision, K);
        assertThat(all).filteredOn(Decision.Duplicate.class::isInstance).hasSizeGreaterThan(2000);
    }

    @Test
    void aFlushedIndexStopsAcceptanceUntilRebuilt() {
        String scope = "flush-" + UUID.randomUUID();
        RedisIndexStore store = store(scope);
        store.initialize("epoch");
        NearDuplicateIndex index = new NearDuplicateIndex(store, K);
        index.decide(List.of(new Candidate("a", 5L)));
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().join();
        store.loadFunctions();

        assertThatThrownBy(() -> index.decide(List.of(new Candidate("b", 6L)))).isInstanceOf(IndexUnavailableException.class);
    }

    private static void send(Request request) {
        redis.send(request).toCompletionStage().toCompletableFuture().join();
    }
}
