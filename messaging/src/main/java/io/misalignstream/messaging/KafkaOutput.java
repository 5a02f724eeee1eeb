package io.misalignstream.messaging;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.PromptEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** One record to publish through an emitter, kept until Kafka acknowledged it so that a failed delivery can be sent again. */
public record KafkaOutput(Emitter<byte[]> emitter, String key, byte[] value) {

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
