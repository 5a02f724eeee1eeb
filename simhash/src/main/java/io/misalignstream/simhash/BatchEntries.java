package io.misalignstream.simhash;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The candidates a batch has accepted so far, with their signatures when the rule verifies, searched by a
 * scan while few (no table to allocate for a batch of a few hundred) and through a {@link HammingIndex} once
 * there are many. Positions are in the order of {@link #add}, in both cases.
 */
final class BatchEntries {

    private static final int SCAN_LIMIT = 256;

    private final int maxRadius;
    private final SetSignature.Table signatures;
    private long[] fingerprints = new long[16];
    private String[] ids = new String[16];
    private long[] references = new long[16];
    private int size;
    private HammingIndex index;

    BatchEntries(int maxRadius, boolean verified) {
        this.maxRadius = maxRadius;
        this.signatures = verified ? new SetSignature.Table() : null;
    }

    void add(long fingerprint, String id, long reference, byte[] signature) {
        if (signatures != null) {
            signatures.add(signature);
        }
        if (index != null) {
            index.add(fingerprint, id, reference);
            return;
        }
        if (size == SCAN_LIMIT) {
            index = new HammingIndex(maxRadius);
            for (int i = 0; i < size; i++) {
                index.add(fingerprints[i], ids[i], references[i]);
            }
            index.add(fingerprint, id, reference);
            return;
        }
        if (size == fingerprints.length) {
            fingerprints = Arrays.copyOf(fingerprints, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
            references = Arrays.copyOf(references, size * 2);
        }
        fingerprints[size] = fingerprint;
        ids[size] = id;
        references[size] = reference;
        size++;
    }

    /** The estimated similarity of the entry at this position with a signature. */
    double similarity(int position, byte[] signature) {
        return signatures.similarity(position, signature);
    }

    /** As {@link HammingIndex#nearest(long, int, IntPredicate)}: smallest distance within the radius, then smallest id. */
    HammingIndex.Match nearest(long query, int radius, IntPredicate accepts) {
        if (index != null) {
            return index.nearest(query, radius, accepts);
        }
        int best = -1;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            int distance = Long.bitCount(query ^ fingerprints[i]);
            if (distance <= radius && (distance < bestDistance || (distance == bestDistance && ids[i].compareTo(ids[best]) < 0))
                    && accepts.test(i)) {
                best = i;
                bestDistance = distance;
            }
        }
        return best < 0 ? null : new HammingIndex.Match(best, ids[best], fingerprints[best], references[best], bestDistance);
    }
}
