package io.misalignstream.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Tries an asynchronous step again with back-off (doubling up to a ceiling) for as long as it fails with a failure
 * worth trying again, and each time on the Vert.x context it started on: Mutiny's own back-off resumes on a worker
 * thread, where Hibernate Reactive refuses to go on. For a consumer that holds its batch until a database takes it.
 */
public final class RetryOnContext {

    private final Duration initialDelay;
    private final Duration maxDelay;

    public RetryOnContext(Duration initialDelay, Duration maxDelay) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * @param step       the step, subscribed again for each try
     * @param worthRetrying which failures are worth trying again; any other ends the returned Uni with it
     * @param onFailure  told of each failure before the wait and the next try (with the wait to come)
     */
    public <T> Uni<T> untilDone(Supplier<Uni<T>> step, Predicate<Throwable> worthRetrying, FailureListener onFailure) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("RetryOnContext works on a Vert.x context");
        }
        return attempt(step, worthRetrying, onFailure, context, initialDelay);
    }

    private <T> Uni<T> attempt(Supplier<Uni<T>> step, Predicate<Throwable> worthRetrying, FailureListener onFailure,
                               Context context, Duration delay) {
        return step.get().onFailure(worthRetrying).recoverWithUni(failure -> {
            onFailure.failed(failure, delay);
            Duration next = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
            return after(context, delay).chain(() -> attempt(step, worthRetrying, onFailure, context, next));
        });
    }

    private static Uni<Void> after(Context context, Duration delay) {
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(Math.max(1, delay.toMillis()),
                timer -> context.runOnContext(ignored -> emitter.complete(null))));
    }

    /** Told of a failed try. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(Throwable failure, Duration retryIn);
    }
}
