package io.misalignstream.dedup.service;

import io.misalignstream.contracts.Topics;
import io.misalignstream.dedup.domain.PromptDeduplicator;
import io.misalignstream.simhash.IndexRegistry;
import io.misalignstream.simhash.IndexStore;
import io.misalignstream.simhash.IndexUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Starts an empty index for a scope only when that forgets nothing: Redis's registry says its data is
 * whole (so the scope is merely new), or nothing was ever published to {@code prompts.unique}. Otherwise
 * the index was lost and the service waits for {@code misalign dedup rebuild}.
 */
final class EmptyPipelineInitializer implements PromptDeduplicator.IndexInitializer {

    private static final Logger LOG = Logger.getLogger(EmptyPipelineInitializer.class);

    private final boolean enabled;
    private final String fingerprintVersion;
    private final IndexRegistry registry;
    private final Function<String, IndexStore> stores;
    private final Admin admin;

    EmptyPipelineInitializer(boolean enabled, String fingerprintVersion, IndexRegistry registry, Function<String, IndexStore> stores,
                             Admin admin) {
        this.enabled = enabled;
        this.fingerprintVersion = fingerprintVersion;
        this.registry = registry;
        this.stores = stores;
        this.admin = admin;
    }

    @Override
    public boolean initializeIfSafe(String scope) {
        if (!enabled) {
            return false;
        }
        boolean whole = registry.exists();
        if (!whole && !nothingAccepted()) {
            // the service logs this, at most every 30 s, while it waits
            throw new IndexUnavailableException("the near-duplicate index " + scope + " is gone while " + Topics.PROMPTS_UNIQUE
                    + " holds accepted prompts: run 'misalign dedup rebuild'");
        }
        IndexStore store = stores.apply(scope);
        // the epoch names the fingerprint version, as 'misalign dedup' and its rebuild write it
        boolean started = store.initialize(fingerprintVersion + ":" + UUID.randomUUID());
        if (started) {
            LOG.infof("started an empty near-duplicate index %s", scope);
        }
        if (!whole) {
            registry.mark();
        }
        // a log without epoch is a rebuild in progress: wait for it
        return store.state().epoch() != null;
    }

    private boolean nothingAccepted() {
        try {
            var partitions = admin.describeTopics(List.of(Topics.PROMPTS_UNIQUE)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.PROMPTS_UNIQUE).partitions().stream()
                    .map(partition -> new TopicPartition(Topics.PROMPTS_UNIQUE, partition.partition()))
                    .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
            return ends.values().stream().allMatch(end -> end.offset() == 0);
        } catch (ExecutionException | TimeoutException e) {
            throw new IndexUnavailableException("cannot tell whether " + Topics.PROMPTS_UNIQUE
                    + " is empty: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexUnavailableException("interrupted while reading " + Topics.PROMPTS_UNIQUE);
        }
    }
}
