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
 * into the scopes of one index configuration: what {@link IndexRebuild} restores. Records of another
 * fingerprint version belong to another index and are skipped.
 */
public final class RecordedDecisions {

    private final DedupScope scope;
    private final String fingerprintVersion;
    private final Map<String, List<IndexRebuild.Accepted>> accepted = new LinkedHashMap<>();
    private final Map<String, List<IndexRebuild.Rejected>> rejected = new LinkedHashMap<>();
    private long skipped;

    public RecordedDecisions(DedupScope scope, String fingerprintVersion) {
        this.scope = scope;
        this.fingerprintVersion = fingerprintVersion;
    }

    public void add(UniquePrompt record) {
        if (!record.fingerprint().version().equals(fingerprintVersion)) {
            skipped++;
            return;
        }
        accepted.computeIfAbsent(scope.of(record.labels()), key -> new ArrayList<>())
                .add(new IndexRebuild.Accepted(record.prompt().id(), record.fingerprint().bits()));
    }

    public void add(DuplicatePrompt record) {
        if (!record.fingerprint().version().equals(fingerprintVersion)) {
            skipped++;
            return;
        }
        rejected.computeIfAbsent(scope.of(record.labels()), key -> new ArrayList<>())
                .add(new IndexRebuild.Rejected(record.prompt().id(), record.matchedPromptId(), record.hammingDistance()));
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

    /** Records of another fingerprint version, not restored. */
    public long skipped() {
        return skipped;
    }
}
