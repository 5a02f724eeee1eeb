package io.misalignstream.sampler;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Fingerprint;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.RejectedPair;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The test's side of the broker: writes unique prompts (good and bad) and reads what the service produced, by prompt id. */
final class SamplerTopics implements AutoCloseable {

    record Outputs(Map<String, List<AcceptedPair>> accepted, Map<String, List<RejectedPair>> rejected,
                   Map<String, List<DeadLetter>> deadLetters) {

        int places(String id) {
            return accepted.getOrDefault(id, List.of()).size() + rejected.getOrDefault(id, List.of()).size()
                    + deadLetters.getOrDefault(id, List.of()).size();
        }
    }

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    SamplerTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** A unique prompt labelled with the given primary domains (or none) in safety, value and cultural. */
    static UniquePrompt unique(String id, String text, String safety, String value, String cultural) {
        Labels labels = new Labels(label(safety), label(value), label(cultural), SemanticType.OBJECT,
                new Provenance("embedded", "test-model", "test"));
        return UniquePrompt.of(new Prompt(id, text, Lineage.original(new Source("sampler-test", 1L)), Map.of()), labels,
                new Fingerprint("00000000000000ff", "test"));
    }

    private static DimensionLabel label(String domain) {
        return "none".equals(domain) ? DimensionLabel.none(0.9) : new DimensionLabel(domain, 0.9, List.of());
    }

    void send(UniquePrompt prompt) {
        send(prompt.prompt().id(), EventCodec.encode(prompt));
    }

    void sendRaw(String key, String value) {
        send(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.PROMPTS_UNIQUE, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + Topics.PROMPTS_UNIQUE, e);
        }
    }

    Outputs read() {
        Map<String, List<AcceptedPair>> accepted = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PAIRS_ACCEPTED)) {
            AcceptedPair pair = EventCodec.decode(record.value(), AcceptedPair.class);
            accepted.computeIfAbsent(pair.prompt().id(), key -> new ArrayList<>()).add(pair);
        }
        Map<String, List<RejectedPair>> rejected = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PAIRS_REJECTED)) {
            RejectedPair pair = EventCodec.decode(record.value(), RejectedPair.class);
            rejected.computeIfAbsent(pair.prompt().id(), key -> new ArrayList<>()).add(pair);
        }
        Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.deadLetterOf(Topics.PROMPTS_UNIQUE))) {
            deadLetters.computeIfAbsent(String.valueOf(record.key()), key -> new ArrayList<>())
                    .add(EventCodec.decode(record.value(), DeadLetter.class));
        }
        return new Outputs(accepted, rejected, deadLetters);
    }

    @Override
    public void close() {
        producer.close();
    }
}
