package io.misalignstream.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads whole topics without a consumer group, for tests and checks that look at what the stages wrote. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Every record of the topic, from its beginning to its end at the time of the call. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        forEach(bootstrapServers, topic, Duration.ofSeconds(60), records::add); // the consumer's default wait
        return records;
    }

    /**
     * Hands every record of the topic, from its beginning to its end at the time of the call, to
     * {@code action} as it is read: a large topic need not fit in memory. A missing topic has no records.
     *
     * @param timeout longest wait for the broker's metadata and offsets before a Kafka {@code TimeoutException}
     */
    public static void forEach(String bootstrapServers, String topic, Duration timeout,
                               Consumer<ConsumerRecord<String, byte[]>> action) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Reading must not create the topic on a broker that creates topics on first use.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4194304");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < ends.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // A poll may run past the end the read began with; those records were written since.
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        action.accept(record);
                    }
                }
            }
        }
    }
}
