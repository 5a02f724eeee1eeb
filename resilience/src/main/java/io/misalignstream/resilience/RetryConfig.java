package io.misalignstream.resilience;

import io.smallrye.config.WithDefault;

/**
 * Retries of one call to an endpoint that cannot answer now, with exponential back-off; after the last one the item
 * is not given up: its batch waits and tries it again.
 */
public interface RetryConfig extends BackOffConfig {

    /** Retries of one call after its first try. */
    @WithDefault("3")
    int maxRetries();
}
