package io.misalignstream.dedup.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.dedup.domain.PromptDeduplicator.Outcome;
import io.misalignstream.dedup.service.DedupService;
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
    private final AcknowledgedPublisher publisher = new AcknowledgedPublisher(PUBLISH_ATTEMPTS);

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
        List<KafkaOutput> outputs = new ArrayList<>(records.count());
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
                outputs.add(new KafkaOutput(unique, accepted.event().key(), EventCodec.encode(accepted.event())));
            } else if (outcome instanceof Outcome.Duplicate duplicate) {
                outputs.add(new KafkaOutput(duplicates, duplicate.event().key(), EventCodec.encode(duplicate.event())));
            }
        }
        publisher.publishAll(outputs);
    }

    private KafkaOutput deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        deadLetters.increment();
        return KafkaOutput.deadLetter(rejectedRecords, record, SERVICE, reason, error);
    }
}
