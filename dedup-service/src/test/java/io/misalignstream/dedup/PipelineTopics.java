package io.misalignstream.dedup;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.TopicReader;
import io.misalignstream.contracts.event.UniquePrompt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The test's side of the broker: writes candidates (good and bad) and reads what the service produced. */
final class PipelineTopics implements AutoCloseable {

    /** Everything the service wrote, by prompt id (the dead letters by record key). */
    record Outputs(Map<String, List<UniquePrompt>> unique, Map<String, List<DuplicatePrompt>> duplicates,
                   Map<String, List<DeadLetter>> deadLetters) {

        int decided() {
            return unique.size() + duplicates.size() + deadLetters.size();
        }
    }

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    PipelineTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "4194304");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    static CandidatePrompt candidate(String id, String text) {
        Labels labels = new Labels(DimensionLabel.none(0.9), DimensionLabel.none(0.8), DimensionLabel.none(0.7),
                SemanticType.OBJECT, new Provenance("embedded", "test-model", "classify-v1"));
        return CandidatePrompt.of(new Prompt(id, text, Lineage.original(new Source("dedup-test", 1L)), Map.of()), labels);
    }

    /** Made-up words: two such sentences share too few character 3-grams to come within k of each other. */
    static String madeUpSentence(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ");
            int length = 3 + random.nextInt(7);
            for (int c = 0; c < length; c++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    void send(CandidatePrompt candidate) {
        sendRaw(candidate.key(), EventCodec.encode(candidate));
    }

    void sendAll(List<CandidatePrompt> candidates) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (CandidatePrompt candidate : candidates) {
            sent.add(producer.send(new ProducerRecord<>(Topics.PROMPTS_CANDIDATES, candidate.key(), EventCodec.encode(candidate))));
        }
        sent.forEach(PipelineTopics::await);
    }

    void sendRaw(String key, byte[] value) {
        await(producer.send(new ProducerRecord<>(Topics.PROMPTS_CANDIDATES, key, value)));
    }

    void sendRaw(String key, String value) {
        sendRaw(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void await(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + Topics.PROMPTS_CANDIDATES, e);
        }
    }

    /** Reads the three output topics from their beginning to their current end. */
    Outputs read() {
        Map<String, List<UniquePrompt>> unique = new HashMap<>();
        Map<String, List<DuplicatePrompt>> duplicates = new HashMap<>();
        Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PROMPTS_UNIQUE)) {
            UniquePrompt value = EventCodec.decode(record.value(), UniquePrompt.class);
            unique.computeIfAbsent(value.prompt().id(), key -> new ArrayList<>()).add(value);
        }
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PROMPTS_DUPLICATES)) {
            DuplicatePrompt value = EventCodec.decode(record.value(), DuplicatePrompt.class);
            duplicates.computeIfAbsent(value.prompt().id(), key -> new ArrayList<>()).add(value);
        }
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.deadLetterOf(Topics.PROMPTS_CANDIDATES))) {
            DeadLetter value = EventCodec.decode(record.value(), DeadLetter.class);
            deadLetters.computeIfAbsent(String.valueOf(record.key()), key -> new ArrayList<>()).add(value);
        }
        return new Outputs(unique, duplicates, deadLetters);
    }


    @Override
    public void close() {
        producer.close();
    }
}
