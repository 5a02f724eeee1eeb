package io.misalignstream.cli.dedup;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.simhash.DedupScope;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.IndexRebuild;
import io.misalignstream.simhash.IndexRegistry;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.RecordedDecisions;
import io.misalignstream.simhash.RedisIndexStore;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rebuilds the near-duplicate index in Redis from the decisions recorded on {@code prompts.unique} and
 * {@code prompts.duplicates} (both compacted, so every prompt's record stays). While it runs, the index
 * registry is absent and the rebuilt scopes have no epoch, so dedup replicas hold their batches; they
 * resume on the rebuilt index, deciding as before the loss. Records of another fingerprint version are migrated:
 * accepted prompts fingerprinted again from their text, rejections kept (with {@code --replace}, how an index moves
 * to a new version).
 */
public final class TopicIndexRebuild {

    /** What was read and restored. */
    public record Report(Map<String, IndexRebuild.Result> scopes, List<String> kept, long recordsRead, long unreadable,
                         long migrated) {
    }

    private final String bootstrapServers;
    private final Redis redis;
    private final DedupScope scope;
    private final FingerprintConfig features;
    private final int buckets;
    private final Duration timeout;

    public TopicIndexRebuild(String bootstrapServers, Redis redis, DedupScope scope, FingerprintConfig features, int buckets,
                             Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.redis = redis;
        this.scope = scope;
        this.features = features;
        this.buckets = buckets;
        this.timeout = timeout;
    }

    /**
     * Without {@code replace}, rebuilds the scopes that lost their index and leaves those that still have
     * one; with it, takes every scope of the configuration out of service first (replicas then hold their
     * batches: nothing is committed to an index about to be replaced) and rebuilds them all.
     *
     * @param settle   how long to wait before reading: a replica that committed a batch just before the loss
     *                 publishes it only afterwards, and the rebuild must see it
     * @param progress told the number of records read so far, now and then
     */
    public Report run(boolean replace, Duration settle, Consumer<Long> progress) throws InterruptedException {
        IndexRegistry registry = new IndexRegistry(redis, scope.indexName(), timeout);
        if (registry.exists() && !replace) {
            throw new IllegalStateException("the index " + scope.indexName() + " is whole in Redis: nothing to rebuild"
                    + " (pass --replace to rebuild it anyway)");
        }
        if (!replace) {
            // a kept scope of another version beside rebuilt ones of this version would split one index in two
            for (String scopeName : scope.all()) {
                String epoch = new RedisIndexStore(redis, scopeName, buckets, timeout).state().epoch();
                String stored = epoch == null ? null : NearDuplicateIndex.versionOf(epoch);
                if (stored != null && !stored.equals(features.version())) {
                    throw new IllegalStateException("the scope " + scopeName + " holds " + stored + " fingerprints, not "
                            + features.version() + ": rebuild with --features " + stored + ", or migrate every scope with --replace");
                }
            }
        }
        // From here no replica starts an empty scope; one without an epoch accepts nothing.
        registry.unmark();
        Map<String, RedisIndexStore> stores = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        for (String scopeName : scope.all()) {
            RedisIndexStore store = new RedisIndexStore(redis, scopeName, buckets, timeout);
            if (replace) {
                store.clear();
            } else if (store.state().epoch() != null) {
                kept.add(scopeName); // not lost: its replicas go on with it
                continue;
            }
            stores.put(scopeName, store);
        }
        Thread.sleep(settle.toMillis());
        RecordedDecisions decisions = new RecordedDecisions(scope, features);
        long[] counts = new long[2];
        readAll(Topics.PROMPTS_UNIQUE, value -> decisions.add(EventCodec.decode(value, UniquePrompt.class)), counts, progress);
        readAll(Topics.PROMPTS_DUPLICATES, value -> decisions.add(EventCodec.decode(value, DuplicatePrompt.class)), counts, progress);

        Map<String, IndexRebuild.Result> results = new LinkedHashMap<>();
        for (String scopeName : decisions.scopes()) {
            RedisIndexStore store = stores.get(scopeName);
            if (store != null) {
                // a scope rebuilt here has no epoch, so nothing to replace any more
                results.put(scopeName, IndexRebuild.rebuild(store, decisions.accepted(scopeName), decisions.rejected(scopeName),
                        features.version() + ":" + UUID.randomUUID(), false));
            }
        }
        registry.mark();
        return new Report(results, kept, counts[0], counts[1], decisions.migrated());
    }

    /** Reads a topic from its beginning up to the end it had when the read began. */
    private void readAll(String topic, Consumer<byte[]> record, long[] counts, Consumer<Long> progress) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, Duration.ofSeconds(60)) < ends.get(partition))) {
                for (ConsumerRecord<String, byte[]> next : consumer.poll(Duration.ofMillis(500))) {
                    if (next.offset() >= ends.get(new TopicPartition(next.topic(), next.partition()))) {
                        continue;
                    }
                    counts[0]++;
                    try {
                        record.accept(next.value());
                    } catch (InvalidEventException e) {
                        counts[1]++; // the dedup service never wrote it; nothing to restore from it
                    }
                    if (counts[0] % 10_000 == 0) {
                        progress.accept(counts[0]);
                    }
                }
            }
        }
        progress.accept(counts[0]);
    }
}
