package io.misalignstream.messaging;

import io.misalignstream.resilience.BackOff;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Tries an asynchronous step again with back-off (doubling up to a ceiling) for as long as it fails with a failure
 * worth trying again, and each time on the Vert.x context it started on: Mutiny's own back-off resumes on a worker
 * thread, where Hibernate Reactive refuses to go on. For a consumer that holds its batch until a database takes it.
 * A try that neither succeeds nor fails within the attempt timeout is cancelled and counts as failed: a connection
 * that died without a word (a database crash half-way through a transaction) must not hold the batch for ever.
 */
public final class RetryOnContext {

    /** A try that gave no answer in time. */
    public static final class AttemptTimedOutException extends RuntimeException {
        public AttemptTimedOutException(Duration timeout) {
            super("no answer within " + timeout.toMillis() + " ms");
        }
    }

    private final BackOff backOff;
    private final Duration attemptTimeout;

    public RetryOnContext(BackOff backOff, Duration attemptTimeout) {
        this.backOff = backOff;
        this.attemptTimeout = attemptTimeout;
    }

    /**
     * @param step       the step, subscribed again for each try
     * @param worthRetrying which failures are worth trying again ({@link AttemptTimedOutException} always is); any other
     *                      ends the returned Uni with it
     * @param onFailure  told of each failure before the wait and the next try (with the wait to come)
     */
    public <T> Uni<T> untilDone(Supplier<Uni<T>> step, Predicate<Throwable> worthRetrying, FailureListener onFailure) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("RetryOnContext works on a Vert.x context");
        }
        return attempt(step, worthRetrying, onFailure, context, backOff.initial());
    }

    private <T> Uni<T> attempt(Supplier<Uni<T>> step, Predicate<Throwable> worthRetrying, FailureListener onFailure,
                               Context context, Duration delay) {
        return withTimeout(step, context).onFailure(worthRetrying.or(AttemptTimedOutException.class::isInstance)).recoverWithUni(failure -> {
            onFailure.failed(failure, delay);
            return after(context, delay).chain(() -> attempt(step, worthRetrying, onFailure, context, backOff.after(delay)));
        });
    }

    /** The step, failed with {@link AttemptTimedOutException} (and cancelled) if it has not answered in time; on the context. */
    private <T> Uni<T> withTimeout(Supplier<Uni<T>> step, Context context) {
        return Uni.createFrom().emitter(emitter -> {
            AtomicBoolean answered = new AtomicBoolean();
            Cancellable[] running = new Cancellable[1];
            long timer = context.owner().setTimer(Math.max(1, attemptTimeout.toMillis()), fired -> context.runOnContext(ignored -> {
                if (answered.compareAndSet(false, true)) {
                    if (running[0] != null) {
                        running[0].cancel();
                    }
                    emitter.fail(new AttemptTimedOutException(attemptTimeout));
                }
            }));
            running[0] = step.get().subscribe().with(item -> {
                if (answered.compareAndSet(false, true)) {
                    context.owner().cancelTimer(timer);
                    emitter.complete(item);
                }
            }, failure -> {
                if (answered.compareAndSet(false, true)) {
                    context.owner().cancelTimer(timer);
                    emitter.fail(failure);
                }
            });
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
