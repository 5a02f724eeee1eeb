package io.misalignstream.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The items of a polled batch, worked on in parallel until each has a result. An item whose backend cannot answer
 * now is never given up: its work returns null, and after a back-off (doubling up to a ceiling) it is tried again,
 * while the batch stays unacknowledged. A failure of an item's own is turned into its result by the caller's rule,
 * so the batch goes on.
 */
public final class BatchWork {

    private static final Logger LOG = Logger.getLogger(BatchWork.class);

    private final ExecutorService workers;
    private final Duration initialDelay;
    private final Duration maxDelay;
    private volatile boolean backendAvailable = true;

    /** @param workers where the items run; its size bounds the calls in flight */
    public BatchWork(ExecutorService workers, Duration initialDelay, Duration maxDelay) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Whether the last round had every item answered; readiness reports it. */
    public boolean backendAvailable() {
        return backendAvailable;
    }

    /**
     * One result per item, in order.
     *
     * @param work an item's result, or null when its backend cannot answer now
     * @param failed the result of an item whose work threw
     */
    public <I, R> List<R> resultsOf(List<I> items, Function<I, Callable<R>> work, Function<Throwable, R> failed)
            throws InterruptedException {
        Object[] results = new Object[items.size()];
        List<Integer> pending = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            pending.add(i);
        }
        Duration backOff = initialDelay;
        while (!pending.isEmpty()) {
            List<Future<R>> running = new ArrayList<>(pending.size());
            for (int index : pending) {
                running.add(workers.submit(work.apply(items.get(index))));
            }
            List<Integer> stillPending = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                R result = await(running.get(i), failed);
                if (result == null) {
                    stillPending.add(pending.get(i));
                } else {
                    results[pending.get(i)] = result;
                }
            }
            pending = stillPending;
            backendAvailable = pending.isEmpty();
            if (!pending.isEmpty()) {
                LOG.warnf("the backend is unavailable; %d items wait %d ms and are tried again", pending.size(), backOff.toMillis());
                Thread.sleep(backOff.toMillis());
                backOff = backOff.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : backOff.multipliedBy(2);
            }
        }
        @SuppressWarnings("unchecked")
        List<R> all = (List<R>) Arrays.asList(results);
        return List.copyOf(all);
    }

    private static <R> R await(Future<R> future, Function<Throwable, R> failed) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            return failed.apply(e.getCause());
        }
    }
}
