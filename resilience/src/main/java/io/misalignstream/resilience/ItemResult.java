package io.misalignstream.resilience;

import java.util.Objects;

/**
 * What became of one item of a batch: done with its value, failed for a reason of its own (its record is
 * dead-lettered with the reason), or unavailable for now (a backend could not answer: the item is tried again).
 */
public sealed interface ItemResult<T> {

    static <T> ItemResult<T> done(T value) {
        return new Done<>(value);
    }

    static <T> ItemResult<T> failed(String reason, Throwable error) {
        return new Failed<>(reason, error);
    }

    static <T> ItemResult<T> unavailable(Throwable cause) {
        return new Unavailable<>(cause);
    }

    record Done<T>(T value) implements ItemResult<T> {
        public Done {
            Objects.requireNonNull(value, "value");
        }
    }

    /** @param error what was thrown, if anything was */
    record Failed<T>(String reason, Throwable error) implements ItemResult<T> {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    record Unavailable<T>(Throwable cause) implements ItemResult<T> {
    }
}
