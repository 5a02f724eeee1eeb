package io.misalignstream.classifier.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.classifier.domain.Outcome;
import io.misalignstream.classifier.service.ClassificationService;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(IngestedPromptListener.class);

    private final ClassificationService service;
    private final Counter deadLetters;

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
        List<Output> outputs = new ArrayList<>(records.count());
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
                outputs.add(new Output(classified, labelled.event().prompt().id(), EventCodec.encode(labelled.event())));
            } else if (outcomes.get(i) instanceof Outcome.Refused refusal) {
                outputs.add(deadLetter(readable.get(i), refusal.reason(), refusal.error()));
            }
        }
        publish(outputs);
    }

    /** A record to publish; kept until Kafka has it, so that a failed delivery can be sent again. */
    private record Output(Emitter<byte[]> emitter, String key, byte[] value) {
    }

    /** Sends every output and waits for Kafka; what failed is sent again. If it still fails the batch is not acknowledged. */
    private void publish(List<Output> outputs) {
        List<Output> pending = outputs;
        for (int attempt = 1; ; attempt++) {
            List<CompletableFuture<Void>> sent = pending.stream().map(IngestedPromptListener::send).toList();
            List<Output> failed = new ArrayList<>();
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
            if (attempt == PUBLISH_ATTEMPTS) {
                throw new IllegalStateException("publishing " + failed.size() + " outputs failed " + attempt + " times: "
                        + cause.getMessage(), cause);
            }
            LOG.warnf("publishing %d of %d outputs failed (%s); sending them again", failed.size(), pending.size(), cause.getMessage());
            pending = failed;
        }
    }

    private Output deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        deadLetters.increment();
        DeadLetter letter = DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(), SERVICE,
                reason, error, record.value(), Instant.now());
        return new Output(rejectedRecords, record.key(), EventCodec.encode(letter));
    }

    private static CompletableFuture<Void> send(Output output) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<byte[]> message = Message.of(output.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(output.key()).build())
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    done.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        output.emitter().send(message);
        return done;
    }
}
