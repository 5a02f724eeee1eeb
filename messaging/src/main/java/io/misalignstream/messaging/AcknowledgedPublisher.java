package io.misalignstream.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Publishes a consumed batch's outputs and returns only once Kafka has all of them, so that a listener
 * acknowledges its batch (commits its offsets) after its outputs exist: a crash re-delivers the batch rather
 * than losing its outputs.
 */
public final class AcknowledgedPublisher {

    private static final Logger LOG = Logger.getLogger(AcknowledgedPublisher.class);

    private final int attempts;

    /** @param attempts how many times a failed delivery is sent before the batch is given up unacknowledged */
    public AcknowledgedPublisher(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts: at least 1");
        }
        this.attempts = attempts;
    }

    /**
     * Sends every output and waits for Kafka; what failed is sent again.
     *
     * @throws IllegalStateException some output still failed after the last attempt: do not acknowledge the batch
     */
    public void publishAll(List<KafkaOutput> outputs) {
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
            if (attempt == attempts) {
                throw new IllegalStateException("publishing " + failed.size() + " outputs failed " + attempt + " times: "
                        + cause.getMessage(), cause);
            }
            LOG.warnf("publishing %d of %d outputs failed (%s); sending them again", failed.size(), pending.size(), cause.getMessage());
            pending = failed;
        }
    }
}
