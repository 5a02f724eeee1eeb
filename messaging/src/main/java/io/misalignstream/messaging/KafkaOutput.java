package io.misalignstream.messaging;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.PromptEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One record to publish through an emitter, kept until Kafka acknowledged it so that a failed delivery can be sent again.
 * No record over {@link EventLimits#MAX_RECORD_BYTES} is ever made: Kafka would refuse it on every try.
 */
public record KafkaOutput(Emitter<byte[]> emitter, String key, byte[] value) {

    /** An output over the record limit: the input it was made from is dead-lettered with this as the reason. */
    public static final class OversizedRecordException extends IllegalArgumentException {
        OversizedRecordException(int bytes) {
            super(String.format(Locale.ROOT, "its output would be a record of %,d bytes, over the limit of %,d (EventLimits.MAX_RECORD_BYTES)",
                    bytes, EventLimits.MAX_RECORD_BYTES));
        }
    }

    public KafkaOutput {
        Objects.requireNonNull(emitter, "emitter");
        Objects.requireNonNull(value, "value");
        if (value.length > EventLimits.MAX_RECORD_BYTES) {
            throw new OversizedRecordException(value.length);
        }
    }

    /** A prompt event on its topic, keyed by the prompt's id. */
    public static KafkaOutput of(Emitter<byte[]> emitter, PromptEvent event) {
        return new KafkaOutput(emitter, event.key(), EventCodec.encode(event));
    }

    /** Sends the record keyed; the future completes when Kafka acknowledged it, exceptionally when it refused it. */
    public CompletableFuture<Void> send() {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<byte[]> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return acknowledged;
    }
}
