package io.misalignstream.sampler.listener;

import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.PromptEvent;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.messaging.ConsumedBatch;
import io.misalignstream.messaging.DeadLetterChannel;
import io.misalignstream.messaging.DeadLetters;
import io.misalignstream.messaging.KafkaOutput;
import io.misalignstream.sampler.service.SamplingService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Reads batches of {@code prompts.unique}, has each prompt sampled, and publishes it to {@code pairs.accepted} or
 * {@code pairs.rejected}; a record it cannot read or sample goes to {@code prompts.unique.dlq} with the reason. The batch
 * is acknowledged only once Kafka has every output, so a crash re-delivers it (and the request cache answers the calls
 * already paid for).
 */
@ApplicationScoped
public class UniquePromptListener {

    private final SamplingService sampling;
    private final Emitter<byte[]> accepted;
    private final Emitter<byte[]> rejected;
    private final DeadLetterChannel deadLetters;
    private final BatchDrain drain;

    // Every batch waits for its outputs, so what an emitter holds is bounded by the batch size.
    public UniquePromptListener(SamplingService sampling, DeadLetters deadLetters, BatchDrain drain,
                                @Channel(Channels.ACCEPTED) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> accepted,
                                @Channel(Channels.REJECTED) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> rejected,
                                @Channel(Channels.UNIQUE_DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> unusable) {
        this.sampling = sampling;
        this.drain = drain;
        this.accepted = accepted;
        this.rejected = rejected;
        this.deadLetters = deadLetters.channel(unusable, "misalign.sampler.dead.letters", "Unique prompts sent to prompts.unique.dlq");
    }

    @Incoming(Channels.UNIQUE)
    @Blocking
    public void onUnique(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        try (BatchDrain.Started started = drain.begin()) {
            ConsumedBatch<UniquePrompt> batch = ConsumedBatch.decode(records, UniquePrompt.class, deadLetters);
            batch.route(sampling.sample(batch.events()), this::output);
            AcknowledgedPublisher.publishAll(batch.outputs());
        }
    }

    private List<KafkaOutput> output(PromptEvent pair) {
        return List.of(KafkaOutput.of(pair instanceof AcceptedPair ? accepted : rejected, pair));
    }
}
