package io.misalignstream.cli.topics;

import io.misalignstream.contracts.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Record counts per topic and lag per consumer group. A topic's count is the sum over its
 * partitions of end offset minus start offset: exact for the pipeline's producers, which are
 * idempotent but not transactional (transaction markers would count as records).
 */
public final class TopicStatistics {

    public record TopicCount(String topic, int partitions, long records) {
    }

    public record GroupLag(String group, String topic, long lag) {
    }

    public record Snapshot(List<TopicCount> topics, List<GroupLag> lags) {

        public long records(String topic) {
            return topics.stream().filter(count -> count.topic().equals(topic)).mapToLong(TopicCount::records).sum();
        }
    }

    private TopicStatistics() {
    }

    public static Snapshot read(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> names = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(15, TimeUnit.SECONDS);
            List<TopicPartition> partitions = descriptions.values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .toList();
            Map<TopicPartition, Long> start = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest());

            List<TopicCount> counts = new ArrayList<>();
            for (TopicDescription description : descriptions.values()) {
                long records = 0;
                for (var partition : description.partitions()) {
                    TopicPartition tp = new TopicPartition(description.name(), partition.partition());
                    records += end.getOrDefault(tp, 0L) - start.getOrDefault(tp, 0L);
                }
                counts.add(new TopicCount(description.name(), description.partitions().size(), records));
            }
            counts.sort(Comparator.comparing((TopicCount count) -> order(count.topic())).thenComparing(TopicCount::topic));

            List<GroupLag> lags = new ArrayList<>();
            @SuppressWarnings("deprecation")
            Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(15, TimeUnit.SECONDS);
            for (ConsumerGroupListing group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
                Map<String, Long> lagByTopic = new HashMap<>();
                committed.forEach((tp, offset) -> {
                    if (offset != null) {
                        lagByTopic.merge(tp.topic(), Math.max(0, end.getOrDefault(tp, offset.offset()) - offset.offset()), Long::sum);
                    }
                });
                lagByTopic.forEach((topic, lag) -> lags.add(new GroupLag(group.groupId(), topic, lag)));
            }
            lags.sort(Comparator.comparing(GroupLag::group).thenComparing(lag -> order(lag.topic())));
            return new Snapshot(List.copyOf(counts), List.copyOf(lags));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no Kafka answered at " + bootstrapServers + " (" + e.getMessage()
                    + "); start one with './misalign devstack' or name one with --bootstrap-servers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin.listOffsets(request).all().get(15, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** Pipeline topics first, in flow order, each followed by its dead-letter topic; then the rest. */
    private static int order(String topic) {
        String base = topic.endsWith(Topics.DEAD_LETTER_SUFFIX)
                ? topic.substring(0, topic.length() - Topics.DEAD_LETTER_SUFFIX.length()) : topic;
        int index = Topics.PIPELINE.indexOf(base);
        return index < 0 ? Integer.MAX_VALUE : index * 2 + (base.equals(topic) ? 0 : 1);
    }
}
