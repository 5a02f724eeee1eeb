package io.misalignstream.dedup.listener;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.dedup.domain.PromptDeduplicator.Outcome;
import io.misalignstream.dedup.service.DedupService;
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
 * Reads batches of {@code prompts.candidates}, has them decided, and publishes each to {@code prompts.unique},
 * {@code prompts.duplicates} or, when it cannot be processed, {@code prompts.candidates.dlq} with the reason. The batch
 * is acknowledged (its offsets committed) only once Kafka has every output, so a crash re-delivers it, and re-delivered
 * prompts get their decisions back.
 */
@ApplicationScoped
public class CandidateListener {

    /** The worker pool batches run on; its size is smallrye.messaging.worker.dedup-batches.max-concurrency. */
    static final String BATCH_WORKERS = "dedup-batches";

    private final DedupService service;
    private final Emitter<byte[]> unique;
    private final Emitter<byte[]> duplicates;
    private final DeadLetterChannel deadLetters;
    private final BatchDrain drain;

    // Every batch waits for its outputs, so what an emitter holds is bounded by the batch size.
    public CandidateListener(DedupService service, DeadLetters deadLetters, BatchDrain drain,
                             @Channel(Channels.UNIQUE) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> unique,
                             @Channel(Channels.DUPLICATES) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> duplicates,
                             @Channel(Channels.CANDIDATES_DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> rejected) {
        this.service = service;
        this.drain = drain;
        this.unique = unique;
        this.duplicates = duplicates;
        this.deadLetters = deadLetters.channel(rejected, "misalign.dedup.dead.letters", "Candidates sent to prompts.candidates.dlq");
    }

    // Unordered on a small pool: one batch is decided while the one before waits for Kafka's
    // acknowledgements. Deciding itself stays one batch at a time; order between batches does not matter.
    @Incoming(Channels.CANDIDATES)
    @Blocking(value = BATCH_WORKERS, ordered = false)
    public void onCandidates(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        try (BatchDrain.Started started = drain.begin()) {
            ConsumedBatch<CandidatePrompt> batch = ConsumedBatch.decode(records, CandidatePrompt.class, deadLetters);
            batch.route(service.decide(batch.events()), outcome -> List.of(outcome instanceof Outcome.Unique accepted
                    ? KafkaOutput.of(unique, accepted.event()) : KafkaOutput.of(duplicates, ((Outcome.Duplicate) outcome).event())));
            AcknowledgedPublisher.publishAll(batch.outputs());
        }
    }
}
