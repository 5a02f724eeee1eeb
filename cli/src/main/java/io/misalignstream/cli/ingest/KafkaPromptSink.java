package io.misalignstream.cli.ingest;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.IngestedPrompt;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends prompts to a topic, keyed by prompt id, with an idempotent producer that waits for every in-sync replica. */
public final class KafkaPromptSink implements PromptSink {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final java.util.concurrent.atomic.AtomicInteger pendingRetries = new java.util.concurrent.atomic.AtomicInteger();

    public KafkaPromptSink(String bootstrapServers, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "misalign-ingest",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, EventLimits.KAFKA_MAX_MESSAGE_BYTES,
                // An unreachable broker fails the run after a minute instead of hanging it.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(IngestedPrompt prompt, Runnable onSuccess, Consumer<Exception> onFailure) {
        send(new ProducerRecord<>(topic, prompt.key(), EventCodec.encode(prompt)), onSuccess, onFailure, true);
    }

    /**
     * A record whose delivery timed out is sent once more before it is reported as failed: on a freshly
     * created topic the first batch for a partition has been seen to expire unacknowledged while
     * every later batch went through.
     */
    private void send(ProducerRecord<String, byte[]> record, Runnable onSuccess, Consumer<Exception> onFailure, boolean retry) {
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                onSuccess.run();
            } else if (retry && error instanceof org.apache.kafka.common.errors.TimeoutException) {
                pendingRetries.incrementAndGet();
                send(record, () -> {
                    onSuccess.run();
                    pendingRetries.decrementAndGet();
                }, failure -> {
                    onFailure.accept(failure);
                    pendingRetries.decrementAndGet();
                }, false);
            } else {
                onFailure.accept(error);
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        // re-sends made from callbacks during the flush need a flush of their own
        while (pendingRetries.get() > 0) {
            producer.flush();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
