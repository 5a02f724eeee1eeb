package io.misalignstream.messaging;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.DeadLetter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** One record to publish through an emitter, kept until Kafka acknowledged it so that a failed delivery can be sent again. */
public record KafkaOutput(Emitter<byte[]> emitter, String key, byte[] value) {

    /** The dead letter of a consumed record that could not be processed, with the reason and the original payload. */
    public static KafkaOutput deadLetter(Emitter<byte[]> emitter, ConsumerRecord<String, byte[]> record, String service,
                                         String reason, Throwable error) {
        DeadLetter letter = DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(), service,
                reason, error, record.value(), Instant.now());
        return new KafkaOutput(emitter, record.key(), EventCodec.encode(letter));
    }

    /**
     * Sends the records one after another, each tried again up to {@code retries} times; completes when Kafka has
     * acknowledged them all. For a non-blocking consumer, whose batch is acknowledged when this completes.
     */
    public static Uni<Void> sendAll(List<KafkaOutput> outputs, int retries) {
        return Multi.createFrom().iterable(outputs)
                .onItem().transformToUniAndConcatenate(output -> Uni.createFrom().completionStage(output::send)
                        .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(retries))
                .collect().last()
                .replaceWithVoid();
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
