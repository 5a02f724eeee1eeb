package io.misalignstream.classifier.listener;

import io.misalignstream.classifier.service.ClassificationService;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.messaging.ConsumedBatch;
import io.misalignstream.messaging.DeadLetterChannel;
import io.misalignstream.messaging.DeadLetters;
import io.misalignstream.messaging.KafkaOutput;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Reads batches of {@code prompts.ingested}, has them labelled, and publishes each to {@code prompts.classified} or,
 * when it cannot be labelled, {@code prompts.ingested.dlq} with the reason. The batch is acknowledged only once Kafka
 * has every output, so a crash re-delivers it.
 */
@ApplicationScoped
public class IngestedPromptListener {

    /** The worker pool batches run on; its size is smallrye.messaging.worker.classifier-batches.max-concurrency. */
    static final String BATCH_WORKERS = "classifier-batches";

    private final ClassificationService service;
    private final Emitter<byte[]> classified;
    private final DeadLetterChannel deadLetters;
    private final BatchDrain drain;

    // Every batch waits for its outputs, so what an emitter holds is bounded by the batch size.
    public IngestedPromptListener(ClassificationService service, DeadLetters deadLetters, BatchDrain drain,
                                  @Channel(Channels.CLASSIFIED) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> classified,
                                  @Channel(Channels.INGESTED_DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> rejected) {
        this.service = service;
        this.drain = drain;
        this.classified = classified;
        this.deadLetters = deadLetters.channel(rejected, "misalign.classifier.dead.letters", "Ingested prompts sent to prompts.ingested.dlq");
    }

    // Two batches at once: one is labelled while the other waits for Kafka, so the backend never idles between
    // batches. Every call still goes through the service's bounded workers.
    @Incoming(Channels.INGESTED)
    @Blocking(value = BATCH_WORKERS, ordered = false)
    public void onIngested(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        try (BatchDrain.Started started = drain.begin()) {
            ConsumedBatch<IngestedPrompt> batch = ConsumedBatch.decode(records, IngestedPrompt.class, deadLetters);
            batch.route(service.classify(batch.events()), labelled -> List.of(KafkaOutput.of(classified, labelled)));
            AcknowledgedPublisher.publishAll(batch.outputs());
        }
    }
}
