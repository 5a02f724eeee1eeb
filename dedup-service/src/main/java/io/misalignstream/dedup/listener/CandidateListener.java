package io.misalignstream.dedup.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.dedup.domain.PromptDeduplicator.Outcome;
import io.misalignstream.dedup.service.DedupService;
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
 * Reads batches of {@code prompts.candidates}, has them decided, and publishes each to
 * {@code prompts.unique}, {@code prompts.duplicates} or, when it cannot be processed,
 * {@code prompts.candidates.dlq} with the reason. The batch is acknowledged (its offsets committed) only
 * once Kafka has every output, so a crash re-delivers it, and re-delivered prompts get their decisions back.
 */
@ApplicationScoped
public class CandidateListener {

    static final String SERVICE = "dedup-service";
    /** The worker pool batches run on; its size is smallrye.messaging.worker.dedup-batches.max-concurrency. */
    static final String BATCH_WORKERS = "dedup-batches";
    private static final int PUBLISH_ATTEMPTS = 3;
    private static final Logger LOG = Logger.getLogger(CandidateListener.class);

    private final DedupService service;
    private final Counter deadLetters;

    // Every batch waits for its outputs, so what an emitter holds is bounded by the batch size.
    @Inject
    @Channel(Channels.UNIQUE)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> unique;

    @Inject
    @Channel(Channels.DUPLICATES)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> duplicates;

    @Inject
    @Channel(Channels.CANDIDATES_DEAD_LETTERS)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejectedRecords;

    public CandidateListener(DedupService service, MeterRegistry metrics) {
        this.service = service;
        this.deadLetters = Counter.builder("misalign.dedup.dead.letters")
                .description("Candidates sent to prompts.candidates.dlq").register(metrics);
    }

    // Unordered on a small pool: one batch is decided while the one before waits for Kafka's
    // acknowledgements. Deciding itself stays one batch at a time; order between batches does not matter.
    @Incoming(Channels.CANDIDATES)
    @Blocking(value = BATCH_WORKERS, ordered = false)
    public void onCandidates(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<Output> outputs = new ArrayList<>(records.count());
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.count());
        List<CandidatePrompt> candidates = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                candidates.add(EventCodec.decode(record.value(), CandidatePrompt.class));
                readable.add(record);
            } catch (InvalidEventException e) {
                outputs.add(deadLetter(record, e.getMessage(), e));
            }
        }
        List<Outcome> outcomes;
        try {
            outcomes = service.decide(candidates);
        } catch (RuntimeException batchFailure) {
            // Something in the batch breaks deciding: decide one by one, so only the culprit is dead-lettered.
            LOG.warnf(batchFailure, "a batch of %d candidates failed; deciding them one by one", candidates.size());
            outcomes = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                try {
                    outcomes.addAll(service.decide(List.of(candidates.get(i))));
                } catch (RuntimeException e) {
                    outputs.add(deadLetter(readable.get(i), "dedup failed: " + e, e));
                    outcomes.add(null);
                }
            }
        }
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Unique accepted) {
                outputs.add(new Output(unique, accepted.event().key(), EventCodec.encode(accepted.event())));
            } else if (outcome instanceof Outcome.Duplicate duplicate) {
                outputs.add(new Output(duplicates, duplicate.event().key(), EventCodec.encode(duplicate.event())));
            }
        }
        publish(outputs);
    }

    /** A record to publish; kept until Kafka has it, so that a failed delivery can be sent again. */
    private record Output(Emitter<byte[]> emitter, String key, byte[] value) {
    }

    /**
     * Sends every output and waits for Kafka; what failed is sent again. If it still fails the batch is not
     * acknowledged: it is delivered again after a restart and its decisions come back from Redis.
     */
    private void publish(List<Output> outputs) {
        List<Output> pending = outputs;
        for (int attempt = 1; ; attempt++) {
            List<CompletableFuture<Void>> sent = pending.stream().map(output -> send(output.emitter(), output.key(), output.value())).toList();
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
                throw new IllegalStateException("publishing " + failed.size() + " decisions failed " + attempt + " times: "
                        + cause.getMessage(), cause);
            }
            LOG.warnf("publishing %d of %d decisions failed (%s); sending them again", failed.size(), pending.size(), cause.getMessage());
            pending = failed;
        }
    }

    private Output deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        deadLetters.increment();
        DeadLetter letter = DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(), SERVICE,
                reason, error, record.value(), Instant.now());
        return new Output(rejectedRecords, record.key(), EventCodec.encode(letter));
    }

    private static CompletableFuture<Void> send(Emitter<byte[]> emitter, String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Message<byte[]> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    done.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return done;
    }
}
