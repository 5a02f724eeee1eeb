package io.misalignstream.dedup.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Whether the index can be used now, and if not why and since when; set by the service, read by the health check. */
@ApplicationScoped
public class IndexAvailability {

    /** Why the index cannot be used, and since when. */
    public record Problem(String reason, Instant since) {
    }

    private volatile Problem problem;

    public void available() {
        problem = null;
    }

    public void unavailable(String reason) {
        Problem current = problem;
        problem = new Problem(reason, current == null ? Instant.now() : current.since());
    }

    /** {@code null} while the index is usable. */
    public Problem problem() {
        return problem;
    }
}
