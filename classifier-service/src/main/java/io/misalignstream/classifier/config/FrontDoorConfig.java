package io.misalignstream.classifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The HTTP front door's settings ({@code POST /prompts}), {@code front-door.*} in application.properties. */
@ConfigMapping(prefix = "front-door")
public interface FrontDoorConfig {

    /**
     * Largest request body in bytes, 8 MiB by default; a larger one is refused with 413 while it streams in.
     * {@code quarkus.http.limits.max-body-size} must stay above it, or Quarkus refuses first, without a reason.
     */
    @WithDefault("8388608")
    long maxRequestBytes();

    /** Most prompts in one request; more is refused with 413. */
    @WithDefault("10000")
    int maxPrompts();

    /**
     * Most {@code POST /prompts} requests at once, from their first byte; one more is answered 429 with
     * {@code Retry-After} before its body is read (a body is held in memory while it is read and published).
     */
    @WithDefault("32")
    int maxConcurrentRequests();

    /** Longest wait for Kafka to acknowledge a request's records; then the answer is 503. */
    @WithDefault("30s")
    Duration publishTimeout();
}
