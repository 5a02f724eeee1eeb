package io.misalignstream.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Publishes a consumed batch's outputs and completes only once Kafka has all of them, so that a listener acknowledges
 * its batch (commits its offsets) after its outputs exist: a crash re-delivers the batch rather than losing its outputs.
 * One retry policy for every stage: a delivery that failed is sent again, {@value #ATTEMPTS} tries in all.
 */
public final class AcknowledgedPublisher {

    /** Tries of one delivery before the batch is given up unacknowledged. */
    public static final int ATTEMPTS = 3;

    private static final Duration RESEND_DELAY = Duration.ofMillis(200);
    private static final Logger LOG = Logger.getLogger(AcknowledgedPublisher.class);

    private AcknowledgedPublisher() {
    }

    /**
     * Sends every output and waits for Kafka; what failed is sent again. For a blocking listener.
     *
     * @throws IllegalStateException some output still failed after the last attempt: do not acknowledge the batch
     */
    public static void publishAll(List<KafkaOutput> outputs) {
        List<KafkaOutput> pending = outputs;
        for (int attempt = 1; ; attempt++) {
            List<CompletableFuture<Void>> sent = pending.stream().map(KafkaOutput::send).toList();
            List<KafkaOutput> failed = new ArrayList<>();
            Throwable cause = null;
            for (int i = 0; i < sent.size(); i++) {
                try {
                    sent.get(i).join();
                } catch (CompletionException e) {
                    failed.add(pending.get(i));
                    cause = e.getCause();
                }
            }
            if (failed.isEmpty()) {
                return;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("publishing " + failed.size() + " outputs failed " + attempt + " times: "
                        + cause.getMessage(), cause);
            }
            LOG.warnf("publishing %d of %d outputs failed (%s); sending them again", failed.size(), pending.size(), cause.getMessage());
            pending = failed;
        }
    }

    /**
     * Sends the outputs one after another, each tried {@value #ATTEMPTS} times; completes when Kafka has acknowledged
     * them all. For a non-blocking listener, whose batch is acknowledged when this completes.
     */
    public static Uni<Void> sendAll(List<KafkaOutput> outputs) {
        return Multi.createFrom().iterable(outputs)
                .onItem().transformToUniAndConcatenate(output -> Uni.createFrom().completionStage(output::send)
                        .onFailure().retry().withBackOff(RESEND_DELAY).atMost(ATTEMPTS - 1))
                .collect().last()
                .replaceWithVoid();
    }
}
