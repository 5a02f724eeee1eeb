package io.misalignstream.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * A blocking step tried again, after a {@link BackOff}, for as long as it fails with a transient failure; any other
 * failure ends it. For what must not be given up while a store or a backend is down (the consumer holds its batch).
 * Every try is a {@link Heartbeat}: work held here is waiting, not stuck.
 */
public final class UntilAvailable {

    /** Told how each try went: a failure with the wait to come, or that the step is available again. */
    public interface Listener {

        void unavailable(Throwable failure, Duration retryIn);

        default void available() {
        }
    }

    private final BackOff backOff;
    private final Predicate<Throwable> isTransient;
    private final Listener listener;

    public UntilAvailable(BackOff backOff, Predicate<Throwable> isTransient, Listener listener) {
        this.backOff = Objects.requireNonNull(backOff, "backOff");
        this.isTransient = Objects.requireNonNull(isTransient, "isTransient");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The step's result, once it gives one.
     *
     * @throws InterruptedException when the thread is interrupted while it waits; the step is not tried again
     * @throws RuntimeException     the first failure that is not transient, as thrown
     */
    public <T> T call(Callable<T> step) throws InterruptedException {
        Duration wait = backOff.initial();
        while (true) {
            Heartbeat.beat();
            try {
                T result = step.call();
                listener.available();
                return result;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!isTransient.test(e)) {
                    throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                }
                listener.unavailable(e, wait);
                Thread.sleep(wait.toMillis());
                wait = backOff.after(wait);
            }
        }
    }
}
