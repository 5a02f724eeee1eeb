package io.misalignstream.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How a service stops: {@code misalign.shutdown.*} (docs/operations.md, Draining). */
@ConfigMapping(prefix = "misalign.shutdown")
public interface ShutdownConfig {

    /**
     * The longest wait, at a stop, for the batches, slots and questions already started; set it above the stage's p99
     * batch time. What is still unfinished then is re-delivered to the next replica.
     */
    @WithDefault("30s")
    Duration drainTimeout();
}
