package io.misalignstream.resilience;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Stops calling an endpoint that keeps failing, for a while, so a down server is probed rather than flooded. */
public interface CircuitBreakerConfig {

    /** Calls in the rolling window the failure ratio is measured over. */
    @WithDefault("20")
    int requestVolumeThreshold();

    /** Share of failed calls in the window that opens the circuit. */
    @WithDefault("0.5")
    double failureRatio();

    /** How long the circuit stays open before a trial call. */
    @WithDefault("5s")
    Duration delay();
}
