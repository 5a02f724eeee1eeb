package io.misalignstream.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The waits between tries of something that cannot answer now: the first wait, doubled after each failure up to a
 * ceiling. A value: the wait to come is the caller's, so one back-off serves every loop that uses it.
 *
 * @param initial the wait after the first failure
 * @param max     the longest wait
 */
public record BackOff(Duration initial, Duration max) {

    public BackOff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: longer than zero");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: at least the initial wait");
        }
    }

    /** The wait after {@code current}: twice as long, never longer than {@link #max()}. */
    public Duration after(Duration current) {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
