package io.misalignstream.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.resilience.Heartbeat;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Lets a stopping service finish the work it has started instead of abandoning it half done: an abandoned batch is
 * re-delivered to another replica, which pays its LLM calls again. A listener marks each batch with {@link #begin()};
 * a service's own workers (the expander's slots, the evaluator's questions) are handed to {@link #finish}. When the
 * service stops (SIGTERM, a KEDA scale-in) all of it gets one deadline (a non-blocking listener's batch, a database
 * write, runs through {@link #run}), {@code misalign.shutdown.drain-timeout} from
 * the stop: the drain waits on Quarkus' {@link ShutdownEvent}, while Redis and PostgreSQL are still open, and before
 * the Kafka connector commits the processed offsets and closes. A batch that arrives meanwhile is held unstarted until
 * the process ends: its records stay uncommitted and go to the next owner of their partition.
 *
 * <p>It also watches the running batches: a batch is stuck when it has given no sign of life (its start, a
 * {@link Heartbeat} of a loop that holds it through an outage, a round of {@link BatchWork}) for longer than
 * {@code misalign.liveness.stuck-batch-after}; {@link StuckBatchCheck} then turns liveness DOWN, so that Kubernetes
 * restarts the service and the batch goes to another replica; {@code misalign_batches_stuck} is how many are stuck
 * now and {@code misalign_batches_stuck_found_total} counts each once. A non-blocking batch ({@link #run}) is not
 * watched.
 */
@ApplicationScoped
public class BatchDrain {

    private static final Logger LOG = Logger.getLogger(BatchDrain.class);

    private final Duration timeout;
    private final Duration stuckAfter;
    private final LongSupplier clock;
    private final Counter foundStuck;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object finished = new Object();
    // never released: a held batch waits for the process to end, so it is never acknowledged nor half done
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile long deadline;
    private volatile boolean draining;

    @Inject
    public BatchDrain(ShutdownConfig config, LivenessConfig liveness, MeterRegistry metrics) {
        this(config, liveness, metrics, System::nanoTime);
    }

    BatchDrain(ShutdownConfig config, LivenessConfig liveness, MeterRegistry metrics, LongSupplier clock) {
        this.timeout = config.drainTimeout();
        this.stuckAfter = liveness.stuckBatchAfter();
        this.clock = clock;
        Gauge.builder("misalign.batches.stuck", this, drain -> drain.stuckCount())
                .description("Batches with no sign of life for longer than misalign.liveness.stuck-batch-after, now").register(metrics);
        this.foundStuck = Counter.builder("misalign.batches.stuck.found")
                .description("Batches found stuck, each once; the pod restarts soon after, so alert on this, not on the gauge").register(metrics);
    }

    /**
     * Marks a batch started; closing the result marks it finished. While the service drains, waits here, unstarted,
     * until the process ends.
     *
     * @throws InterruptedException the thread was interrupted while the batch was held
     */
    public Started begin() throws InterruptedException {
        // counted before the check: the drain either sees this batch running or this batch sees the drain
        inFlight.incrementAndGet();
        if (draining) {
            finished();
            held.await();
        }
        Running batch = new Running(clock.getAsLong());
        running.add(batch);
        Heartbeat.Scope alive = Heartbeat.on(batch::alive);
        return () -> {
            alive.close();
            running.remove(batch);
            finished();
        };
    }

    /** A stuck batch: how long it has been quiet, and where its thread is now. */
    public record Stuck(Duration quiet, String thread, List<StackTraceElement> where) {
    }

    /** The stuck batches, the longest quiet first; empty when none is. Each is counted once, when first found. */
    public List<Stuck> stuck() {
        long now = clock.getAsLong();
        List<Stuck> stuck = new ArrayList<>();
        for (Running batch : running) {
            if (batch.isStuck(now)) {
                if (batch.counted.compareAndSet(false, true)) {
                    foundStuck.increment();
                }
                stuck.add(new Stuck(Duration.ofNanos(now - batch.lastSign), batch.thread.getName(), List.of(batch.thread.getStackTrace())));
            }
        }
        stuck.sort(Comparator.comparing(Stuck::quiet).reversed());
        return stuck;
    }

    private long stuckCount() {
        long now = clock.getAsLong();
        return running.stream().filter(batch -> batch.isStuck(now)).count();
    }

    /** After how long without a sign of life a batch is stuck. */
    public Duration stuckAfter() {
        return stuckAfter;
    }

    /** A batch in flight and its last sign of life. */
    private final class Running {

        private final Thread thread = Thread.currentThread();
        private final AtomicBoolean counted = new AtomicBoolean();
        private volatile long lastSign;

        Running(long startedAt) {
            this.lastSign = startedAt;
        }

        void alive() {
            lastSign = clock.getAsLong();
        }

        boolean isStuck(long now) {
            return now - lastSign > stuckAfter.toNanos();
        }
    }

    /**
     * A non-blocking listener's batch (a database write on the consumer's Vert.x context): {@code work} runs as a started
     * batch, finished when its {@link Uni} ends, so that a stop waits for it while the database is still open. While the
     * service drains, it is held unstarted (a {@link Uni} that never ends: its records stay uncommitted). Not watched
     * for being stuck: its retries run on the event loop, where no {@link Heartbeat} tells a held write from a stuck one.
     */
    public <T> Uni<T> run(Supplier<Uni<? extends T>> work) {
        inFlight.incrementAndGet();
        if (draining) {
            finished();
            return Uni.createFrom().nothing();
        }
        return Uni.createFrom().deferred(work).onTermination().invoke(this::finished);
    }

    /**
     * Stops the workers taking new tasks and lets the running ones end within the stop's deadline (the first call
     * starts it), then interrupts what is left.
     *
     * @param what what the workers do, for the log, e.g. "slots being filled"
     */
    public void finish(ExecutorService workers, String what) throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(remaining(), TimeUnit.NANOSECONDS)) {
            LOG.warnf("stopping with %s after %d s: they are left to the next replica or the restart", what, timeout.toSeconds());
        }
        workers.shutdownNow();
    }

    private synchronized long remaining() {
        if (deadline == 0) {
            deadline = System.nanoTime() + timeout.toNanos();
        }
        return Math.max(0, deadline - System.nanoTime());
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (finished) {
                finished.notifyAll();
            }
        }
    }

    /**
     * The priority of a service's own stop observer that hands its workers to {@link #finish}: before the listeners'
     * batches are drained, so that it starts no new work meanwhile; all of it within the one deadline.
     */
    public static final int STOP_WORKERS_FIRST = Interceptor.Priority.PLATFORM_BEFORE;

    void drain(@Observes @Priority(STOP_WORKERS_FIRST + 10) ShutdownEvent stopping) throws InterruptedException {
        draining = true;
        remaining();
        synchronized (finished) {
            while (inFlight.get() > 0) {
                long left = remaining();
                if (left == 0) {
                    LOG.warnf("stopping with %d batches unfinished after %d s: they are re-delivered to the next replica", inFlight.get(), timeout.toSeconds());
                    return;
                }
                LOG.infof("stopping: waiting for %d batches to finish", inFlight.get());
                TimeUnit.NANOSECONDS.timedWait(finished, Math.min(left, TimeUnit.SECONDS.toNanos(5)));
            }
        }
        LOG.info("stopping: every started batch finished");
    }

    /** A started batch; {@link #close()} marks it finished. */
    @FunctionalInterface
    public interface Started extends AutoCloseable {
        @Override
        void close();
    }
}
