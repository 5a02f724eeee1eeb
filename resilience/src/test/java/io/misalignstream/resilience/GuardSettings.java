package io.misalignstream.resilience;

import java.time.Duration;

/** Retry and circuit-breaker settings as tests give them, without a configuration source. */
public final class GuardSettings {

    private GuardSettings() {
    }

    public static RetryConfig retry(int maxRetries, Duration initialDelay, Duration maxDelay) {
        return new RetryConfig() {
            @Override
            public int maxRetries() {
                return maxRetries;
            }

            @Override
            public Duration initialDelay() {
                return initialDelay;
            }

            @Override
            public Duration maxDelay() {
                return maxDelay;
            }
        };
    }

    /** Opens at {@code failureRatio} of the last {@code window} calls, for {@code openFor}. */
    public static CircuitBreakerConfig breaker(int window, double failureRatio, Duration openFor) {
        return new CircuitBreakerConfig() {
            @Override
            public int requestVolumeThreshold() {
                return window;
            }

            @Override
            public double failureRatio() {
                return failureRatio;
            }

            @Override
            public Duration delay() {
                return openFor;
            }
        };
    }
}
