package io.misalignstream.messaging;

import io.micrometer.core.instrument.Counter;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.DeadLetter;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * One dead-letter topic as a stage writes to it: a consumed record it cannot use becomes a {@link DeadLetter} (the
 * reason, the original payload and where it was read), counted and logged, published with the batch's outputs.
 */
public final class DeadLetterChannel {

    private static final Logger LOG = Logger.getLogger(DeadLetterChannel.class);

    private final Emitter<byte[]> emitter;
    private final String service;
    private final Counter count;

    public DeadLetterChannel(Emitter<byte[]> emitter, String service, Counter count) {
        this.emitter = Objects.requireNonNull(emitter, "emitter");
        this.service = Objects.requireNonNull(service, "service");
        this.count = Objects.requireNonNull(count, "count");
    }

    /** The dead letter of a record, to publish with the batch's outputs. */
    public KafkaOutput of(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        count.increment();
        LOG.warnf("dead-lettered %s (%s, partition %d, offset %d): %s", record.key(), record.topic(), record.partition(),
                record.offset(), reason);
        DeadLetter letter = DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(), service,
                reason, error, record.value(), Instant.now());
        return new KafkaOutput(emitter, record.key(), EventCodec.encode(letter));
    }
}
