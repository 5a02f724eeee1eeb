package io.misalignstream.sampler.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.messaging.KafkaOutput;
import io.misalignstream.sampler.service.DatasetWriter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * The dataset writer's consumer: reads batches of {@code pairs.accepted} and has them stored; a record it cannot read,
 * or one PostgreSQL refuses, goes to {@code pairs.accepted.dlq} with the reason. The batch is acknowledged once it is
 * stored and its dead letters are in Kafka, so a crash or an outage of PostgreSQL loses nothing.
 */
@ApplicationScoped
public class AcceptedPairListener {

    private static final Logger LOG = Logger.getLogger(AcceptedPairListener.class);
    private static final int PUBLISH_RETRIES = 2;

    private final DatasetWriter writer;
    private final Counter deadLetters;

    @Inject
    @Channel(Channels.DATASET_DEAD_LETTERS)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejectedRecords;

    public AcceptedPairListener(DatasetWriter writer, MeterRegistry metrics) {
        this.writer = writer;
        this.deadLetters = Counter.builder("misalign.sampler.dataset.dead.letters")
                .description("Accepted pairs sent to pairs.accepted.dlq").register(metrics);
    }

    // Not @Blocking: Hibernate Reactive works on the consumer's Vert.x context.
    @Incoming(Channels.DATASET)
    public Uni<Void> onAccepted(ConsumerRecords<String, byte[]> records) {
        List<KafkaOutput> letters = new ArrayList<>();
        List<AcceptedPair> pairs = new ArrayList<>(records.count());
        Map<AcceptedPair, ConsumerRecord<String, byte[]>> origins = new IdentityHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                AcceptedPair pair = EventCodec.decode(record.value(), AcceptedPair.class);
                pairs.add(pair);
                origins.put(pair, record);
            } catch (InvalidEventException e) {
                letters.add(deadLetter(record, e.getMessage(), e));
            }
        }
        return writer.write(pairs)
                .chain(refused -> {
                    refused.forEach(pair -> letters.add(deadLetter(origins.get(pair.pair()), "not stored: " + pair.reason(), pair.error())));
                    return KafkaOutput.sendAll(letters, PUBLISH_RETRIES);
                });
    }

    private KafkaOutput deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        deadLetters.increment();
        LOG.warnf("dead-lettered %s (partition %d, offset %d): %s", record.key(), record.partition(), record.offset(), reason);
        return KafkaOutput.deadLetter(rejectedRecords, record, UniquePromptListener.SERVICE, reason, error);
    }
}
