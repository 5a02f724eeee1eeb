package io.misalignstream.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When a service is not live: {@code misalign.liveness.*} (docs/operations.md, Health). */
@ConfigMapping(prefix = "misalign.liveness")
public interface LivenessConfig {

    /**
     * How long a batch may give no sign of life before it is stuck and liveness turns DOWN. A batch held through an
     * outage gives one at every try, so this bounds only the quiet time of one round: set it well above the stage's
     * longest call (an LLM timeout with its retries).
     */
    @WithDefault("10m")
    Duration stuckBatchAfter();
}
