package io.misalignstream.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * {@code batches}: DOWN while a listener's batch is stuck ({@link BatchDrain}): restarting is then what helps, as the
 * batch goes to another replica. A batch held through an outage (a store or an LLM endpoint down) is not stuck: the
 * loop that holds it gives a sign of life at every try, and readiness tells the outage. Where each stuck batch's thread
 * is goes to the log, for the cause to be found after the restart.
 */
@Liveness
@ApplicationScoped
public class StuckBatchCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(StuckBatchCheck.class);

    private final BatchDrain batches;

    public StuckBatchCheck(BatchDrain batches) {
        this.batches = batches;
    }

    @Override
    public HealthCheckResponse call() {
        List<BatchDrain.Stuck> stuck = batches.stuck();
        if (stuck.isEmpty()) {
            return HealthCheckResponse.up("batches");
        }
        for (BatchDrain.Stuck batch : stuck) {
            LOG.errorf("a batch has given no sign of life for %d s (more than misalign.liveness.stuck-batch-after); thread %s is at:%n\t%s",
                    batch.quiet().toSeconds(), batch.thread(), batch.where().stream().map(String::valueOf).collect(Collectors.joining("\n\t")));
        }
        return HealthCheckResponse.named("batches").down()
                .withData("stuck", stuck.size())
                .withData("quiet for", stuck.get(0).quiet().toSeconds() + " s, longer than " + batches.stuckAfter().toSeconds() + " s")
                .build();
    }
}
