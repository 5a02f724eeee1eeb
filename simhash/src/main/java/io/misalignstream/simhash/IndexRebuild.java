package io.misalignstream.simhash;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds one scope's index from the pipeline's own record of its decisions: the accepted prompts
 * with their fingerprints ({@code prompts.unique}) become the log, and the rejected ones
 * ({@code prompts.duplicates}) get their decisions back, pointing at the same matched prompt. After a
 * rebuild every candidate is decided as before the loss: the set of accepted fingerprints is the same,
 * the nearest match is chosen by distance and id (not by log position), and re-delivered ids find their
 * recorded decision.
 *
 * <p>The index has no epoch while it is rebuilt, so replicas accept nothing until {@link IndexStore#open}.
 */
public final class IndexRebuild {

    private static final int CHUNK = 5_000;

    /**
     * A prompt the index had accepted, with its signature and the digest of its text in an index that verifies
     * ({@code null} otherwise).
     */
    public record Accepted(String id, long fingerprint, byte[] signature, Long textDigest) {

        public Accepted(String id, long fingerprint) {
            this(id, fingerprint, null, null);
        }
    }

    /**
     * A prompt the index had rejected as a near-duplicate of {@code matchedId}, with the similarity it recorded and the
     * digest of its text, if any.
     */
    public record Rejected(String id, String matchedId, int distance, Double similarity, Long textDigest) {

        public Rejected(String id, String matchedId, int distance) {
            this(id, matchedId, distance, null, null);
        }
    }

    /**
     * @param accepted entries in the log
     * @param rejected duplicate decisions restored
     * @param orphaned duplicate decisions whose matched prompt is not among the accepted ones (its record
     *                 was lost or belongs to another scope): not restored, decided afresh if re-delivered
     */
    public record Result(int accepted, int rejected, int orphaned) {
    }

    private IndexRebuild() {
    }

    /**
     * @param replace whether an index that is still there may be replaced; without it such a store is refused
     * @throws IllegalStateException when the store holds an index and {@code replace} is false
     */
    public static Result rebuild(IndexStore store, List<Accepted> accepted, List<Rejected> rejected, String epoch, boolean replace) {
        if (!replace && store.state().epoch() != null) {
            throw new IllegalStateException("the index is there (epoch " + store.state().epoch() + "): nothing to rebuild; replace it only on purpose");
        }
        if (accepted.stream().map(prompt -> prompt.signature() == null).distinct().count() > 1) {
            throw new IllegalArgumentException("an index's entries all have a signature or none: these are mixed");
        }
        store.clear();
        Map<String, Long> offsets = new LinkedHashMap<>();
        List<IndexStore.Pending> pending = new ArrayList<>();
        long offset = 0;
        for (Accepted prompt : accepted) {
            if (offsets.containsKey(prompt.id())) {
                continue; // published again after a re-delivery
            }
            byte[] entry = LogEntries.encode(prompt.fingerprint(), prompt.id(), prompt.signature());
            offsets.put(prompt.id(), offset);
            offset += entry.length;
            pending.add(new IndexStore.Pending(prompt.id(), DecisionValue.unique(prompt.textDigest()), entry));
            flushIfFull(store, pending);
        }
        int restoredDuplicates = 0;
        int orphaned = 0;
        Set<String> seen = new HashSet<>();
        for (Rejected prompt : rejected) {
            if (offsets.containsKey(prompt.id()) || !seen.add(prompt.id())) {
                continue;
            }
            Long matched = offsets.get(prompt.matchedId());
            if (matched == null) {
                orphaned++;
                continue;
            }
            pending.add(new IndexStore.Pending(prompt.id(), DecisionValue.duplicate(matched, prompt.distance(), prompt.similarity(),
                    prompt.textDigest()), null));
            restoredDuplicates++;
            flushIfFull(store, pending);
        }
        store.restore(pending);
        if (!store.open(epoch)) {
            throw new IllegalStateException("another index was opened while this one was rebuilt");
        }
        return new Result(offsets.size(), restoredDuplicates, orphaned);
    }

    private static void flushIfFull(IndexStore store, List<IndexStore.Pending> pending) {
        if (pending.size() >= CHUNK) {
            store.restore(pending);
            pending.clear();
        }
    }
}
