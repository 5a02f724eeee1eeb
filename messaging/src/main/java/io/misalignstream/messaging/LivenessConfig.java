package io.misalignstream.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When a service is not live: {@code misalign.liveness.*} (docs/operations.md, Health). */
@ConfigMapping(prefix = "misalign.liveness")
public interface LivenessConfig {

    /**
     * How long a batch may give no sign of life before it is stuck and liveness turns DOWN. A batch gives one at its
     * start, at each item's start and end, at every attempt of an endpoint call and at every try of a loop holding it
     * through an outage, so this bounds the quiet time of one call: keep it well above the longest single call (an LLM
     * or store timeout). 30 minutes, as the consumers' {@code max.poll.interval.ms}.
     */
    @WithDefault("30m")
    Duration stuckBatchAfter();
}
