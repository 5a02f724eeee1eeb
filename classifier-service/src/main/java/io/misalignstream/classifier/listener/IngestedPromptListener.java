package io.misalignstream.classifier.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.classifier.domain.Outcome;
import io.misalignstream.classifier.service.ClassificationService;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.KafkaOutput;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Reads batches of {@code prompts.ingested}, has them labelled, and publishes each to
 * {@code prompts.classified} or, when it cannot be labelled, {@code prompts.ingested.dlq} with the reason.
 * The batch is acknowledged only once Kafka has every output, so a crash re-delivers it.
 */
@ApplicationScoped
public class IngestedPromptListener {

    static final String SERVICE = "classifier-service";
    /** The worker pool batches run on; its size is smallrye.messaging.worker.classifier-batches.max-concurrency. */
    static final String BATCH_WORKERS = "classifier-batches";
    private static final int PUBLISH_ATTEMPTS = 3;

    private final ClassificationService service;
    private final Counter deadLetters;
    private final AcknowledgedPublisher publisher = new AcknowledgedPublisher(PUBLISH_ATTEMPTS);

    // Every batch waits for its outputs, so what an emitter holds is bounded by the batch size.
    @Inject
    @Channel(Channels.CLASSIFIED)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> classified;

    @Inject
    @Channel(Channels.INGESTED_DEAD_LETTERS)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejectedRecords;

    public IngestedPromptListener(ClassificationService service, MeterRegistry metrics) {
        this.service = service;
        this.deadLetters = Counter.builder("misalign.classifier.dead.letters")
                .description("Ingested prompts sent to prompts.ingested.dlq").register(metrics);
    }

    // Two batches at once: one is labelled while the other waits for Kafka, so the backend never idles between
    // batches. Every call still goes through the service's bounded workers.
    @Incoming(Channels.INGESTED)
    @Blocking(value = BATCH_WORKERS, ordered = false)
    public void onIngested(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<KafkaOutput> outputs = new ArrayList<>(records.count());
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.count());
        List<IngestedPrompt> prompts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                prompts.add(EventCodec.decode(record.value(), IngestedPrompt.class));
                readable.add(record);
            } catch (InvalidEventException e) {
                outputs.add(deadLetter(record, e.getMessage(), e));
            }
        }
        List<Outcome> outcomes = service.classify(prompts);
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof Outcome.Classified labelled) {
                outputs.add(new KafkaOutput(classified, labelled.event().prompt().id(), EventCodec.encode(labelled.event())));
            } else if (outcomes.get(i) instanceof Outcome.Refused refusal) {
                outputs.add(deadLetter(readable.get(i), refusal.reason(), refusal.error()));
            }
        }
        publisher.publishAll(outputs);
    }

    private KafkaOutput deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        deadLetters.increment();
        return KafkaOutput.deadLetter(rejectedRecords, record, SERVICE, reason, error);
    }
}
