package io.misalignstream.simhash;

import java.util.List;
import java.util.Map;

/**
 * The authoritative record of what was accepted, shared by every replica: an append-only log of
 * accepted entries and every decided id's decision. Replicas search their own in-memory copy of the
 * log and commit a batch of decisions only if the log has not changed since their copy
 * (compare-and-append), so any number of replicas decide exactly as one would.
 */
public interface IndexStore {

    /** The log's generation and length; {@code epoch} is {@code null} when the store holds no index. */
    record State(String epoch, long length) {
    }

    /** Part of the log, from {@code from} to at most {@code from + maxBytes}. */
    record Chunk(String epoch, long from, byte[] bytes, long length) {
    }

    /** A decision to record: the id, its stored value and, for an accepted prompt, its log entry. */
    record Pending(String id, String value, byte[] entry) {
    }

    /** Outcome of a commit: OK, or why not (the log moved, or some ids were decided meanwhile, or the index is gone). */
    sealed interface CommitResult {
        record Committed(long length) implements CommitResult {
        }

        record Stale(long length) implements CommitResult {
        }

        record AlreadyDecided(Map<String, String> decisions) implements CommitResult {
        }

        record Lost(String reason) implements CommitResult {
        }
    }

    State state();

    Chunk read(long from, int maxBytes);

    CommitResult commit(String epoch, long expectedLength, List<Pending> decisions);

    /** Starts an empty index under this epoch unless one exists; true when it did. */
    boolean initialize(String epoch);

    /**
     * Removes the index (log, epoch, every recorded decision) before a rebuild. Replicas accept nothing
     * until the rebuilt index is opened.
     */
    void clear();

    /** Appends entries and records decisions with no check: only for a rebuild, while the index has no epoch. */
    void restore(List<Pending> decisions);

    /** Makes a restored index available under this epoch; false when the store already has one. */
    boolean open(String epoch);
}
