package io.misalignstream.classifier;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

/** The test's side of the broker: writes ingested prompts (good and bad) and reads what the service produced. */
public final class ClassifierTopics implements AutoCloseable {

    /** Everything the service wrote, by prompt id (the dead letters by record key). */
    public record Outputs(Map<String, List<ClassifiedPrompt>> classified, Map<String, List<DeadLetter>> deadLetters) {
    }

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    public ClassifierTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    public static IngestedPrompt ingested(String id, String text) {
        return IngestedPrompt.of(new Prompt(id, text, Lineage.original(new Source("classifier-test", 1L)), Map.of()), Instant.now());
    }

    public void send(IngestedPrompt prompt) {
        sendAll(List.of(prompt));
    }

    public void sendAll(List<IngestedPrompt> prompts) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (IngestedPrompt prompt : prompts) {
            sent.add(producer.send(new ProducerRecord<>(Topics.PROMPTS_INGESTED, prompt.prompt().id(), EventCodec.encode(prompt))));
        }
        sent.forEach(ClassifierTopics::await);
    }

    public void sendRaw(String key, byte[] value) {
        await(producer.send(new ProducerRecord<>(Topics.PROMPTS_INGESTED, key, value)));
    }

    public void sendRaw(String key, String value) {
        sendRaw(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void await(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + Topics.PROMPTS_INGESTED, e);
        }
    }

    /** Reads prompts.classified and prompts.ingested.dlq from their beginning to their current end. */
    public Outputs read() {
        Map<String, List<ClassifiedPrompt>> classified = new HashMap<>();
        Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PROMPTS_CLASSIFIED)) {
            ClassifiedPrompt value = EventCodec.decode(record.value(), ClassifiedPrompt.class);
            classified.computeIfAbsent(value.prompt().id(), key -> new ArrayList<>()).add(value);
        }
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.deadLetterOf(Topics.PROMPTS_INGESTED))) {
            DeadLetter value = EventCodec.decode(record.value(), DeadLetter.class);
            deadLetters.computeIfAbsent(String.valueOf(record.key()), key -> new ArrayList<>()).add(value);
        }
        return new Outputs(classified, deadLetters);
    }


    @Override
    public void close() {
        producer.close();
    }
}
