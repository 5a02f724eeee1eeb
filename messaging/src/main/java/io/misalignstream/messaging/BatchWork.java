package io.misalignstream.messaging;

import io.misalignstream.resilience.BackOff;
import io.misalignstream.resilience.Heartbeat;
import io.misalignstream.resilience.ItemResult;
import io.misalignstream.resilience.TransientFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The items of a polled batch, worked on in parallel until each is done or failed. An item whose backend cannot answer
 * now ({@link ItemResult.Unavailable}, or a {@link TransientFailure} thrown) is never given up: after a back-off it is
 * tried again, while the batch stays unacknowledged. Any other failure thrown by an item's work is that item's
 * {@link ItemResult.Failed}, so the batch goes on. Each round, and each item's start and end, is a {@link Heartbeat}
 * of the batch, and the items' threads carry the batch's heartbeat (an endpoint guard beats at every attempt), so that a
 * batch held through an outage or a slow endpoint is not taken for a stuck one.
 */
public final class BatchWork {

    private static final Logger LOG = Logger.getLogger(BatchWork.class);

    private final ExecutorService workers;
    private final BackOff backOff;
    private final String workName;
    private volatile boolean backendAvailable = true;

    /**
     * @param workers  where the items run; its size bounds the calls in flight
     * @param workName what an item's work is, for the reason of a failure it throws, e.g. {@code labelling}
     */
    public BatchWork(ExecutorService workers, BackOff backOff, String workName) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.backOff = Objects.requireNonNull(backOff, "backOff");
        this.workName = Objects.requireNonNull(workName, "workName");
    }

    /** Whether the last round had every item answered; readiness reports it. */
    public boolean backendAvailable() {
        return backendAvailable;
    }

    /** One result per item, in order, each {@link ItemResult.Done} or {@link ItemResult.Failed}. */
    public <I, R> List<ItemResult<R>> resultsOf(List<I> items, Function<I, ItemResult<R>> work) throws InterruptedException {
        List<ItemResult<R>> results = new ArrayList<>(items.size());
        List<Integer> pending = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            results.add(null);
            pending.add(i);
        }
        Duration wait = backOff.initial();
        Runnable batchAlive = Heartbeat.current();
        while (!pending.isEmpty()) {
            batchAlive.run();
            List<Future<ItemResult<R>>> running = new ArrayList<>(pending.size());
            for (int index : pending) {
                I item = items.get(index);
                running.add(workers.submit(() -> {
                    try (Heartbeat.Scope alive = Heartbeat.on(batchAlive)) {
                        // an item starting and ending is a sign too: a round of many items is not one quiet stretch
                        batchAlive.run();
                        return work.apply(item);
                    } finally {
                        batchAlive.run();
                    }
                }));
            }
            List<Integer> stillPending = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                ItemResult<R> result = await(running.get(i));
                if (result instanceof ItemResult.Unavailable<R>) {
                    stillPending.add(pending.get(i));
                } else {
                    results.set(pending.get(i), result);
                }
            }
            pending = stillPending;
            backendAvailable = pending.isEmpty();
            if (!pending.isEmpty()) {
                LOG.warnf("the backend is unavailable; %d items wait %d ms and are tried again", pending.size(), wait.toMillis());
                Thread.sleep(wait.toMillis());
                wait = backOff.after(wait);
            }
        }
        return List.copyOf(results);
    }

    private <R> ItemResult<R> await(Future<ItemResult<R>> future) throws InterruptedException {
        try {
            return Objects.requireNonNull(future.get(), "an item's work gave no result");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            if (failure instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (TransientFailure.isTransient(failure)) {
                return ItemResult.unavailable(failure);
            }
            return ItemResult.failed(workName + " failed: " + failure, failure);
        }
    }
}
