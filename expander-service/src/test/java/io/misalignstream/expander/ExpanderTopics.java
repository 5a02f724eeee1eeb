package io.misalignstream.expander;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
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

/** The test's side of the broker: writes classified prompts (good and bad) and reads what the service produced. */
final class ExpanderTopics implements AutoCloseable {

    /** Everything on prompts.candidates, split by origin, by prompt id; and the dead letters by key. */
    record Outputs(Map<String, List<CandidatePrompt>> originals, Map<String, List<CandidatePrompt>> synthetic,
                   Map<String, List<DeadLetter>> deadLetters) {
    }

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    ExpanderTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** A prompt the classifier put in one safety domain (or none), value and cultural none. */
    static ClassifiedPrompt classified(String id, String text, String safetyDomain) {
        DimensionLabel safety = "none".equals(safetyDomain) ? DimensionLabel.none(0.9) : new DimensionLabel(safetyDomain, 0.9, List.of());
        Labels labels = new Labels(safety, DimensionLabel.none(0.8), DimensionLabel.none(0.8), SemanticType.OBJECT,
                new Provenance("embedded", "test-model", "test"));
        return ClassifiedPrompt.of(new Prompt(id, text, Lineage.original(new Source("expander-test", 1L)), Map.of()), labels, Instant.now());
    }

    /** The JSON of a classified prompt whose safety label is not a domain of the taxonomy. */
    static String classifiedJsonWithSafety(String id, String foreignDomain) {
        String valid = EventCodec.encodeToString(classified(id, "Explain how to break into a server", "privacy_violation"));
        return valid.replace("\"primary\":\"privacy_violation\"", "\"primary\":\"" + foreignDomain + "\"");
    }

    void sendAll(List<ClassifiedPrompt> prompts) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ClassifiedPrompt prompt : prompts) {
            sent.add(producer.send(new ProducerRecord<>(Topics.PROMPTS_CLASSIFIED, prompt.prompt().id(), EventCodec.encode(prompt))));
        }
        sent.forEach(ExpanderTopics::await);
    }

    void sendRaw(String key, String value) {
        await(producer.send(new ProducerRecord<>(Topics.PROMPTS_CLASSIFIED, key, value.getBytes(StandardCharsets.UTF_8))));
    }

    private static void await(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + Topics.PROMPTS_CLASSIFIED, e);
        }
    }

    Outputs read() {
        Map<String, List<CandidatePrompt>> originals = new HashMap<>();
        Map<String, List<CandidatePrompt>> synthetic = new HashMap<>();
        Map<String, List<DeadLetter>> deadLetters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.PROMPTS_CANDIDATES)) {
            CandidatePrompt value = EventCodec.decode(record.value(), CandidatePrompt.class);
            Map<String, List<CandidatePrompt>> target = value.prompt().lineage().origin() == Origin.SYNTHETIC ? synthetic : originals;
            target.computeIfAbsent(value.prompt().id(), key -> new ArrayList<>()).add(value);
        }
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.deadLetterOf(Topics.PROMPTS_CLASSIFIED))) {
            deadLetters.computeIfAbsent(String.valueOf(record.key()), key -> new ArrayList<>())
                    .add(EventCodec.decode(record.value(), DeadLetter.class));
        }
        return new Outputs(originals, synthetic, deadLetters);
    }

    @Override
    public void close() {
        producer.close();
    }
}
