package io.misalignstream.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Lets a stopping service finish the work it has started instead of abandoning it half done: an abandoned batch is
 * re-delivered to another replica, which pays its LLM calls again. A listener marks each batch with {@link #begin()};
 * a service's own workers (the expander's slots, the evaluator's questions) are handed to {@link #finish}. When the
 * service stops (SIGTERM, a KEDA scale-in) all of it gets one deadline, {@code misalign.shutdown.drain-timeout} from
 * the stop: the drain waits on Quarkus' {@link ShutdownEvent}, while Redis and PostgreSQL are still open, and before
 * the Kafka connector commits the processed offsets and closes. A batch that arrives meanwhile is held unstarted until
 * the process ends: its records stay uncommitted and go to the next owner of their partition.
 */
@ApplicationScoped
public class BatchDrain {

    private static final Logger LOG = Logger.getLogger(BatchDrain.class);

    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object finished = new Object();
    // never released: a held batch waits for the process to end, so it is never acknowledged nor half done
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile long deadline;
    private volatile boolean draining;

    public BatchDrain(ShutdownConfig config) {
        this.timeout = config.drainTimeout();
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
        return this::finished;
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
