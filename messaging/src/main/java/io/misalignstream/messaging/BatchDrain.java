package io.misalignstream.messaging;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Lets a stopping service finish the batches it has started instead of abandoning them half done: an abandoned batch
 * is re-delivered to another replica, which pays its LLM calls again. A listener marks each batch with
 * {@link #begin()}; when the service stops (SIGTERM, a KEDA scale-in) the drain waits, up to
 * {@code misalign.shutdown.drain-timeout}, until every started batch has published its outputs, before the Kafka
 * connector commits the processed offsets and closes. A batch that arrives meanwhile is held unstarted until the
 * service stops: its records stay uncommitted and go to the next owner of their partition.
 */
@ApplicationScoped
public class BatchDrain {

    /** Before the Kafka connector's own termination (priority 50), which commits what is processed and closes. */
    static final int BEFORE_THE_CONNECTOR = 10;

    private static final Logger LOG = Logger.getLogger(BatchDrain.class);

    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object finished = new Object();
    // never released: a held batch waits for the process to end, so it is never acknowledged nor half done
    private final CountDownLatch held = new CountDownLatch(1);
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
        if (draining) {
            held.await();
        }
        inFlight.incrementAndGet();
        return this::finished;
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (finished) {
                finished.notifyAll();
            }
        }
    }

    void drain(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(BEFORE_THE_CONNECTOR) @BeforeDestroyed(ApplicationScoped.class) Object stopping)
            throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (finished) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
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
