package io.misalignstream.resilience;

/**
 * A sign from a thread that it is still trying: a loop that holds work while something it needs is unavailable beats on
 * every try, so that work held through an outage is told apart from work that is stuck (a call that never returns, a
 * deadlock). Whoever runs the work sets, for its thread, what a beat does (messaging's {@code BatchDrain}: this batch is
 * alive); {@link UntilAvailable} beats on every try, and work handed to another thread carries the beat along
 * ({@link #current()}). A beat on a thread where nobody listens does nothing.
 */
public final class Heartbeat {

    // per thread, as a logging context is: the hold loops run deep inside a batch's work and cannot be handed a listener
    private static final ThreadLocal<Runnable> CURRENT = new ThreadLocal<>();
    private static final Runnable NOBODY = () -> { };

    private Heartbeat() {
    }

    /** Signs that this thread's work is still trying. */
    public static void beat() {
        current().run();
    }

    /** What a beat does on this thread, to hand to another thread that works for it. */
    public static Runnable current() {
        Runnable onBeat = CURRENT.get();
        return onBeat == null ? NOBODY : onBeat;
    }

    /** Until the scope is closed, a beat on this thread runs {@code onBeat}; then what was set before is set again. */
    public static Scope on(Runnable onBeat) {
        Runnable previous = CURRENT.get();
        CURRENT.set(onBeat);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Restores the thread's previous listener when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
