package io.misalignstream.resilience;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** A {@link BackOff} as configuration, e.g. {@code dedup.retry.initial-delay} and {@code dedup.retry.max-delay}. */
public interface BackOffConfig {

    /** The first wait after a failure; it doubles with every further one. */
    @WithDefault("200ms")
    Duration initialDelay();

    /** The longest wait, also the longest a batch held back waits before it is tried again. */
    @WithDefault("10s")
    Duration maxDelay();

    default BackOff backOff() {
        return new BackOff(initialDelay(), maxDelay());
    }
}
