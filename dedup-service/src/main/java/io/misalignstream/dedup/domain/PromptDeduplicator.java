package io.misalignstream.dedup.domain;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.Fingerprint;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.DedupScope;
import io.misalignstream.simhash.Decision;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.IndexUnavailableException;
import io.misalignstream.simhash.NearDuplicateIndex;
import io.misalignstream.simhash.PromptSketcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Decides a batch of candidate prompts: fingerprints each, checks it against the index of its scope
 * (one atomic check-and-insert per scope and batch) and says which are unique and which near-duplicates,
 * in the batch's order. Plain Java: the index stores are given by the caller.
 */
public final class PromptDeduplicator implements AutoCloseable {

    /** What became of one candidate. */
    public sealed interface Outcome {

        CandidatePrompt candidate();

        record Unique(CandidatePrompt candidate, UniquePrompt event) implements Outcome {
        }

        record Duplicate(CandidatePrompt candidate, DuplicatePrompt event) implements Outcome {
        }

        /** Not decided: its id was decided for another text. */
        record Refused(CandidatePrompt candidate, String reason) implements Outcome {
        }
    }

    /** Starts an empty index for a scope that has none, when doing so cannot forget accepted prompts. */
    @FunctionalInterface
    public interface IndexInitializer {

        /**
         * @return true when the scope now has an index; false to wait (a rebuild is running)
         * @throws IndexUnavailableException saying why the scope may not start empty
         */
        boolean initializeIfSafe(String scope);
    }

    private final PromptSketcher sketcher;
    private final String version;
    private final DuplicateRule rule;
    private final DedupScope scope;
    private final Function<String, NearDuplicateIndex> indexFactory;
    private final IndexInitializer initializer;
    // read by metrics while a batch is decided, so no lock around it
    private final Map<String, NearDuplicateIndex> indexes = new ConcurrentHashMap<>();

    public PromptDeduplicator(FingerprintConfig features, DuplicateRule rule, DedupScope scope,
                              Function<String, NearDuplicateIndex> indexFactory, IndexInitializer initializer) {
        this.sketcher = new PromptSketcher(features);
        this.version = features.version();
        this.rule = rule;
        this.scope = scope;
        this.indexFactory = indexFactory;
        this.initializer = initializer;
    }

    /**
     * @throws IndexUnavailableException when a scope's index is gone and may not be started empty
     * @throws io.misalignstream.simhash.RedisIndexStore.RedisUnavailableException when Redis does not answer
     */
    public synchronized List<Outcome> decide(List<CandidatePrompt> candidates) {
        Map<String, List<Integer>> byScope = new LinkedHashMap<>();
        Candidate[] sketches = new Candidate[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            CandidatePrompt candidate = candidates.get(i);
            sketches[i] = sketcher.candidate(candidate.prompt().id(), candidate.prompt().text());
            byScope.computeIfAbsent(scope.of(candidate.labels()), key -> new ArrayList<>()).add(i);
        }
        Outcome[] outcomes = new Outcome[candidates.size()];
        byScope.forEach((scopeName, positions) -> {
            List<Candidate> batch = new ArrayList<>(positions.size());
            for (int position : positions) {
                batch.add(sketches[position]);
            }
            List<Decision> decisions = decide(scopeName, batch);
            for (int i = 0; i < positions.size(); i++) {
                int position = positions.get(i);
                outcomes[position] = outcome(candidates.get(position), sketches[position], decisions.get(i));
            }
        });
        return List.of(outcomes);
    }

    private List<Decision> decide(String scopeName, List<Candidate> batch) {
        NearDuplicateIndex index = indexes.computeIfAbsent(scopeName, indexFactory);
        try {
            return index.decide(batch);
        } catch (IndexUnavailableException missing) {
            if (initializer.initializeIfSafe(scopeName)) {
                return index.decide(batch);
            }
            throw missing;
        }
    }

    private Outcome outcome(CandidatePrompt candidate, Candidate sketch, Decision decision) {
        // The decision's fingerprint is the one first decided for this id; the record carries this text's.
        Fingerprint own = Fingerprint.of(sketch.fingerprint(), version);
        if (decision instanceof Decision.Refused refused) {
            return new Outcome.Refused(candidate, refused.reason());
        }
        if (decision instanceof Decision.Duplicate duplicate) {
            // a decision recorded under a larger radius keeps its distance, and says so in the threshold
            int radius = rule.radius(sketch.normalizedLength());
            return new Outcome.Duplicate(candidate, new DuplicatePrompt(EventLimits.SCHEMA_VERSION, candidate.prompt(),
                    candidate.labels(), own, duplicate.matchedId(), Fingerprint.of(duplicate.matchedFingerprint(), version),
                    duplicate.distance(), Math.max(radius, duplicate.distance()), duplicate.similarity(),
                    duplicate.similarity() == null ? null : rule.minSimilarity()));
        }
        return new Outcome.Unique(candidate, UniquePrompt.of(candidate.prompt(), candidate.labels(), own));
    }

    /** Entries in the local copies of every scope's index. */
    public long indexedPrompts() {
        return indexes.values().stream().mapToLong(NearDuplicateIndex::size).sum();
    }

    public long lookups() {
        return indexes.values().stream().mapToLong(NearDuplicateIndex::lookups).sum();
    }

    public long candidatesExamined() {
        return indexes.values().stream().mapToLong(NearDuplicateIndex::candidatesExamined).sum();
    }

    /** Check-and-insert calls made, including those retried because another replica committed first. */
    public long commitAttempts() {
        return indexes.values().stream().mapToLong(NearDuplicateIndex::commitAttempts).sum();
    }

    @Override
    public synchronized void close() {
        indexes.values().forEach(NearDuplicateIndex::close);
    }
}
