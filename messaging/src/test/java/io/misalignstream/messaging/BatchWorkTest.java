package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.resilience.BackOff;
import io.misalignstream.resilience.ItemResult;
import io.misalignstream.resilience.TransientFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchWorkTest {

    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final BatchWork batches = new BatchWork(workers, new BackOff(Duration.ofMillis(1), Duration.ofMillis(4)), "labelling");

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void triesAnUnavailableItemAgainUntilItIsDoneAndKeepsEachResultInItsPlace() throws InterruptedException {
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        List<ItemResult<String>> results = batches.resultsOf(List.of("a", "b", "c", "d"), item -> {
            int attempt = tries.computeIfAbsent(item, key -> new AtomicInteger()).incrementAndGet();
            return switch (item) {
                case "b" -> attempt < 3 ? ItemResult.unavailable(null) : ItemResult.done("B");
                case "c" -> {
                    if (attempt < 2) {
                        throw new TransientFailure("503");
                    }
                    yield ItemResult.done("C");
                }
                case "d" -> throw new IllegalArgumentException("no text");
                default -> ItemResult.done("A");
            };
        });

        assertThat(results).hasSize(4);
        assertThat(results.get(0)).isEqualTo(ItemResult.done("A"));
        assertThat(results.get(1)).isEqualTo(ItemResult.done("B"));
        assertThat(results.get(2)).isEqualTo(ItemResult.done("C"));
        assertThat(results.get(3)).isInstanceOfSatisfying(ItemResult.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo("labelling failed: java.lang.IllegalArgumentException: no text"));
        assertThat(tries.get("a")).hasValue(1);
        assertThat(tries.get("b")).hasValue(3);
        assertThat(tries.get("d")).hasValue(1);
        assertThat(batches.backendAvailable()).isTrue();
    }
}
