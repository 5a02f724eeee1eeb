package io.misalignstream.devstack;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.PromptEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A service test's side of the broker: writes records to the topic the service consumes (events keyed by prompt id,
 * or any bytes, to test bad input), waiting for Kafka, and reads what the service wrote, each topic from its beginning
 * to its end at the time of the call.
 */
public final class TestTopics implements AutoCloseable {

    private final String bootstrapServers;
    private final String input;
    private final KafkaProducer<String, byte[]> producer;

    /** @param input the topic the service under test consumes, which {@link #send} writes to */
    public TestTopics(String bootstrapServers, String input) {
        this.bootstrapServers = bootstrapServers;
        this.input = input;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // room for records over the services' own 1 MiB limit, to test what they do with them
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    public void send(PromptEvent event) {
        sendAll(List.of(event));
    }

    /** Sends the events keyed by prompt id, all at once, and returns once Kafka has every one. */
    public void sendAll(List<? extends PromptEvent> events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (PromptEvent event : events) {
            sent.add(producer.send(new ProducerRecord<>(input, event.key(), EventCodec.encode(event))));
        }
        sent.forEach(this::await);
    }

    public void sendRaw(String key, byte[] value) {
        await(producer.send(new ProducerRecord<>(input, key, value)));
    }

    public void sendRaw(String key, String value) {
        sendRaw(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The topic's prompt events so far, by prompt id, each id's in the order written. */
    public <E extends PromptEvent> Map<String, List<E>> byPromptId(String topic, Class<E> type) {
        Map<String, List<E>> byId = new LinkedHashMap<>();
        for (E event : all(topic, type)) {
            byId.computeIfAbsent(event.prompt().id(), id -> new ArrayList<>()).add(event);
        }
        return byId;
    }

    /** The topic's records so far, decoded, in the order read. */
    public <E> List<E> all(String topic, Class<E> type) {
        return TopicReader.readAll(bootstrapServers, topic).stream().map(record -> EventCodec.decode(record.value(), type)).toList();
    }

    /** The dead letters of the input topic so far, by the key of the record each stands for. */
    public Map<String, List<DeadLetter>> deadLetters() {
        Map<String, List<DeadLetter>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.deadLetterOf(input))) {
            byKey.computeIfAbsent(String.valueOf(record.key()), key -> new ArrayList<>()).add(EventCodec.decode(record.value(), DeadLetter.class));
        }
        return byKey;
    }

    private void await(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + input, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + input, e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
