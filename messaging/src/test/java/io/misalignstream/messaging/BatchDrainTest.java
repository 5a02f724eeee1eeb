package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BatchDrainTest {

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
        BatchDrain drain = new BatchDrain(() -> Duration.ofSeconds(30));
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
        BatchDrain drain = new BatchDrain(() -> Duration.ofSeconds(30));
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
        BatchDrain drain = new BatchDrain(() -> Duration.ofMillis(200));
        drain.begin();
        long started = System.nanoTime();

        stopping(drain).get(5, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void theServicesWorkersAndTheBatchesShareOneDeadline() throws Exception {
        BatchDrain drain = new BatchDrain(() -> Duration.ofSeconds(2));
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
}
