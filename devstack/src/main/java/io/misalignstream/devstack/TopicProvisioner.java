package io.misalignstream.devstack;

import io.misalignstream.contracts.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates every topic of the pipeline and its dead-letter topic; topics that exist are left as they are. */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /**
     * A topic is usable once every partition's leader serves it. The metadata names a leader before the
     * leader's replica manager has taken the partition on; a producer that writes in between gets
     * NOT_LEADER_OR_FOLLOWER and, on a single node, may wait out its whole delivery timeout. A list-offsets
     * request is answered by the leader itself, so it succeeds only once the partition is served.
     */
    private static void awaitLeaders(Admin admin) throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.all()).allTopicNames().get(60, TimeUnit.SECONDS);
            boolean named = topics.values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
            if (named && served(admin, topics)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics have partitions without a serving leader after 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static boolean served(Admin admin, Map<String, TopicDescription> topics) throws InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                partitions.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        try {
            admin.listOffsets(partitions).all().get(60, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException notYet) {
            return false;
        }
    }

    /** @return the topics this call created (empty when all existed) */
    public static Set<String> ensureTopics(String bootstrapServers, int partitions) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            // Replication: the broker's default, so the same code serves one devstack node and a real cluster.
            List<NewTopic> missing = Topics.all().stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(Topics.configOf(topic)))
                    .toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // another process created some of them in the meantime: that is what we wanted
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin);
            return Set.copyOf(missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new DevStackException("kafka: cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while creating topics", e);
        }
    }
}
