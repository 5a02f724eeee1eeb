package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.misalignstream.resilience.BackOff;
import io.misalignstream.resilience.Heartbeat;
import io.misalignstream.resilience.ItemResult;
import io.misalignstream.resilience.UntilAvailable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BatchDrainTest {

    private static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private static BatchDrain drain(Duration drainTimeout) {
        return new BatchDrain(() -> drainTimeout, () -> STUCK_AFTER, new SimpleMeterRegistry());
    }

    private static CompletableFuture<Void> stopping(BatchDrain drain) {
        return CompletableFuture.runAsync(() -> {
            try {
                drain.drain(null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aStopWaitsForTheBatchesStartedBeforeIt() throws Exception {
        BatchDrain drain = drain(Duration.ofSeconds(30));
        BatchDrain.Started first = drain.begin();
        BatchDrain.Started second = drain.begin();

        CompletableFuture<Void> stopped = stopping(drain);
        assertThatThrownBy(() -> stopped.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        first.close();
        assertThatThrownBy(() -> stopped.get(300, TimeUnit.MILLISECONDS)).as("one still running").isInstanceOf(TimeoutException.class);
        second.close();
        stopped.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aBatchArrivingWhileTheServiceStopsIsHeldUnstarted() throws Exception {
        BatchDrain drain = drain(Duration.ofSeconds(30));
        stopping(drain).get(5, TimeUnit.SECONDS);

        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread listener = new Thread(() -> {
            try (BatchDrain.Started batch = drain.begin()) {
                started.complete(true);
            } catch (InterruptedException e) {
                started.completeExceptionally(e);
            }
        });
        listener.start();
        assertThatThrownBy(() -> started.get(500, TimeUnit.MILLISECONDS)).as("held").isInstanceOf(TimeoutException.class);
        listener.interrupt(); // the process ends
        assertThatThrownBy(() -> started.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
    }

    @Test
    void aBatchUnfinishedAtTheTimeoutIsLeftToTheNextReplica() throws Exception {
        BatchDrain drain = drain(Duration.ofMillis(200));
        drain.begin();
        long started = System.nanoTime();

        stopping(drain).get(5, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void theServicesWorkersAndTheBatchesShareOneDeadline() throws Exception {
        BatchDrain drain = drain(Duration.ofSeconds(2));
        ExecutorService quick = Executors.newSingleThreadExecutor();
        CompletableFuture<Boolean> finishedQuick = new CompletableFuture<>();
        quick.execute(() -> {
            sleep(50);
            finishedQuick.complete(true);
        });
        drain.finish(quick, "quick tasks");
        assertThat(finishedQuick).as("a running task ends before the workers stop").isCompletedWithValue(true);
        assertThat(quick.isTerminated()).isTrue();

        ExecutorService stuck = Executors.newSingleThreadExecutor();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        stuck.execute(() -> {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.complete(true);
            }
        });
        drain.finish(stuck, "stuck tasks");
        assertThat(interrupted.get(5, TimeUnit.SECONDS)).as("interrupted once the deadline passed").isTrue();

        // the deadline has passed: a batch still running is not waited for another 2 s
        drain.begin();
        long started = System.nanoTime();
        stopping(drain).get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBatchQuietForLongerThanTheBoundIsStuckUntilItGivesASignOfLife() throws Exception {
        AtomicLong now = new AtomicLong();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        BatchDrain drain = new BatchDrain(() -> Duration.ofSeconds(30), () -> STUCK_AFTER, metrics, now::get);
        StuckBatchCheck liveness = new StuckBatchCheck(drain);
        try (BatchDrain.Started batch = drain.begin()) {
            now.addAndGet(STUCK_AFTER.toNanos());
            assertThat(drain.stuck()).as("quiet for exactly the bound").isEmpty();
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(drain.stuck()).singleElement().satisfies(stuck -> {
                assertThat(stuck.quiet()).isEqualTo(STUCK_AFTER.plusSeconds(1));
                assertThat(stuck.thread()).isEqualTo(Thread.currentThread().getName());
            });
            assertThat(metrics.get("misalign.batches.stuck").gauge().value()).isEqualTo(1.0);
            assertThat(liveness.call().getStatus()).isEqualTo(org.eclipse.microprofile.health.HealthCheckResponse.Status.DOWN);
            assertThat(metrics.get("misalign.batches.stuck.found").counter().count()).as("counted once, however often seen").isEqualTo(1.0);
            assertThat(liveness.call().getData().orElseThrow()).containsEntry("stuck", 1L);

            Heartbeat.beat(); // on the batch's thread: the loop holding it tried again
            assertThat(drain.stuck()).isEmpty();
            assertThat(liveness.call().getStatus()).isEqualTo(org.eclipse.microprofile.health.HealthCheckResponse.Status.UP);
        }
        now.addAndGet(STUCK_AFTER.toNanos() * 2);
        assertThat(drain.stuck()).as("finished batches are not watched").isEmpty();
        assertThat(metrics.get("misalign.batches.stuck").gauge().value()).isZero();
        Heartbeat.beat(); // no batch on this thread any more: nobody listens
    }

    @Test
    void theHoldLoopsAreSignsOfLifeOfTheBatchTheyRunIn() throws Exception {
        AtomicLong now = new AtomicLong();
        BatchDrain drain = new BatchDrain(() -> Duration.ofSeconds(30), () -> STUCK_AFTER, new SimpleMeterRegistry(), now::get);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        BackOff quick = new BackOff(Duration.ofMillis(1), Duration.ofMillis(1));
        try (BatchDrain.Started batch = drain.begin()) {
            // a store down for a while, held by UntilAvailable on the batch's thread: each try is a sign
            AtomicInteger tries = new AtomicInteger();
            new UntilAvailable(quick, failure -> true, (failure, retryIn) -> { }).call(() -> {
                now.addAndGet(STUCK_AFTER.toNanos() + 1);
                if (tries.incrementAndGet() < 3) {
                    throw new IllegalStateException("down");
                }
                return null;
            });
            assertThat(drain.stuck()).as("stuck while the last try ran, not before").hasSize(1);

            // a backend down for a round, then answering: BatchWork's rounds and items are signs, and its items' threads
            // carry the batch's, so a long call's own attempts inside an item count
            Heartbeat.beat();
            AtomicInteger calls = new AtomicInteger();
            List<Boolean> stuckInsideItem = new java.util.concurrent.CopyOnWriteArrayList<>();
            new BatchWork(workers, quick, "work").resultsOf(List.of("a"), item -> {
                now.addAndGet(STUCK_AFTER.toNanos() + 1);
                if (calls.incrementAndGet() == 1) {
                    return ItemResult.unavailable(new IllegalStateException("down"));
                }
                Heartbeat.beat(); // an attempt of the item's endpoint call, on a worker thread
                stuckInsideItem.add(!drain.stuck().isEmpty());
                return ItemResult.done(item);
            });
            assertThat(stuckInsideItem).containsExactly(false);
            assertThat(drain.stuck()).isEmpty();
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void aStopWaitsForANonBlockingBatchAndHoldsOneArrivingMeanwhile() throws Exception {
        BatchDrain drain = drain(Duration.ofSeconds(30));
        CompletableFuture<String> write = new CompletableFuture<>();
        CompletableFuture<String> written = drain.run(() -> io.smallrye.mutiny.Uni.createFrom().completionStage(write))
                .subscribeAsCompletionStage();

        CompletableFuture<Void> stopped = stopping(drain);
        assertThatThrownBy(() -> stopped.get(300, TimeUnit.MILLISECONDS)).as("the write is running").isInstanceOf(TimeoutException.class);
        AtomicInteger startedMeanwhile = new AtomicInteger();
        CompletableFuture<String> held = drain.run(() -> {
            startedMeanwhile.incrementAndGet();
            return io.smallrye.mutiny.Uni.createFrom().item("never");
        }).subscribeAsCompletionStage();
        write.complete("stored");
        stopped.get(5, TimeUnit.SECONDS);
        assertThat(written.get()).isEqualTo("stored");
        assertThat(startedMeanwhile).hasValue(0);
        assertThat(held).isNotDone();
    }
}
