package io.misalignstream.simhash;

import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.UniquePrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decisions the pipeline recorded on {@code prompts.unique} and {@code prompts.duplicates}, sorted
 * into the scopes of one index configuration: what {@link IndexRebuild} restores. An accepted prompt of
 * another fingerprint version is fingerprinted again from its text (how an index moves to a new version:
 * every accepted prompt stays accepted and is indexed as the new version indexes it); a rejection keeps the
 * distance it was decided with, and its similarity when it has one.
 */
public final class RecordedDecisions {

    private final DedupScope scope;
    private final String fingerprintVersion;
    private final PromptSketcher sketcher;
    private final Map<String, List<IndexRebuild.Accepted>> accepted = new LinkedHashMap<>();
    private final Map<String, List<IndexRebuild.Rejected>> rejected = new LinkedHashMap<>();
    private long migrated;

    public RecordedDecisions(DedupScope scope, FingerprintConfig features) {
        this.scope = scope;
        this.fingerprintVersion = features.version();
        this.sketcher = new PromptSketcher(features);
    }

    public void add(UniquePrompt record) {
        Candidate sketch = sketcher.candidate(record.prompt().id(), record.prompt().text());
        long fingerprint = record.fingerprint().bits();
        if (!record.fingerprint().version().equals(fingerprintVersion)) {
            fingerprint = sketch.fingerprint();
            migrated++;
        }
        accepted.computeIfAbsent(scope.of(record.labels()), key -> new ArrayList<>())
                .add(new IndexRebuild.Accepted(record.prompt().id(), fingerprint, sketch.signature(), digest(record.prompt().text())));
    }

    public void add(DuplicatePrompt record) {
        if (!record.fingerprint().version().equals(fingerprintVersion)) {
            migrated++;
        }
        rejected.computeIfAbsent(scope.of(record.labels()), key -> new ArrayList<>()).add(new IndexRebuild.Rejected(record.prompt().id(),
                record.matchedPromptId(), record.hammingDistance(), record.similarity(), digest(record.prompt().text())));
    }

    /** The digest that binds the id to its text, in an index that records them (from fingerprint version 2 on). */
    private Long digest(String text) {
        return sketcher.features().verified() ? PromptSketcher.textDigest(text) : null;
    }

    /** Scopes with at least one accepted prompt (a scope with only rejections has nothing to point them at). */
    public Set<String> scopes() {
        return accepted.keySet();
    }

    public List<IndexRebuild.Accepted> accepted(String scopeName) {
        return accepted.getOrDefault(scopeName, List.of());
    }

    public List<IndexRebuild.Rejected> rejected(String scopeName) {
        return rejected.getOrDefault(scopeName, List.of());
    }

    /** Records of another fingerprint version, restored under this one. */
    public long migrated() {
        return migrated;
    }
}
