package io.misalignstream.sampler.listener;

import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.messaging.ConsumedBatch;
import io.misalignstream.messaging.DeadLetterChannel;
import io.misalignstream.messaging.DeadLetters;
import io.misalignstream.sampler.service.DatasetWriter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes the dataset: reads batches of {@code pairs.accepted} (in a consumer group of its own) and has them stored; a
 * record it cannot read, or one PostgreSQL refuses, goes to {@code pairs.accepted.dlq} with the reason. The batch is
 * acknowledged once it is stored and its dead letters are in Kafka, so a crash or an outage of PostgreSQL loses nothing.
 */
@ApplicationScoped
public class DatasetListener {

    private final DatasetWriter writer;
    private final DeadLetterChannel deadLetters;
    private final BatchDrain drain;

    public DatasetListener(DatasetWriter writer, DeadLetters deadLetters, BatchDrain drain,
                           @Channel(Channels.DATASET_DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> unusable) {
        this.writer = writer;
        this.drain = drain;
        this.deadLetters = deadLetters.channel(unusable, "misalign.sampler.dataset.dead.letters", "Accepted pairs sent to pairs.accepted.dlq");
    }

    // Not @Blocking: Hibernate Reactive works on the consumer's Vert.x context.
    @Incoming(Channels.DATASET)
    public Uni<Void> onAccepted(ConsumerRecords<String, byte[]> records) {
        // a stop waits for the write, while PostgreSQL is still open
        return drain.run(() -> {
            ConsumedBatch<AcceptedPair> batch = ConsumedBatch.decode(records, AcceptedPair.class, deadLetters);
            return writer.write(batch.events())
                    .chain(refused -> {
                        refused.forEach(pair -> batch.deadLetter(pair.pair(), "not stored: " + pair.reason(), pair.error()));
                        return AcknowledgedPublisher.sendAll(batch.outputs());
                    });
        });
    }
}
