package io.misalignstream.simhash;

import java.util.Arrays;

/**
 * The candidates a batch has accepted so far, searched by a scan while few (no table to allocate for
 * a batch of a few hundred) and through a {@link HammingIndex} once there are many.
 */
final class BatchEntries {

    private static final int SCAN_LIMIT = 256;

    private final int threshold;
    private long[] fingerprints = new long[16];
    private String[] ids = new String[16];
    private long[] references = new long[16];
    private int size;
    private HammingIndex index;

    BatchEntries(int threshold) {
        this.threshold = threshold;
    }

    void add(long fingerprint, String id, long reference) {
        if (index != null) {
            index.add(fingerprint, id, reference);
            return;
        }
        if (size == SCAN_LIMIT) {
            index = new HammingIndex(threshold);
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

    /** As {@link HammingIndex#nearest}: smallest distance within the threshold, then smallest id. */
    HammingIndex.Match nearest(long query) {
        if (index != null) {
            return index.nearest(query);
        }
        int best = -1;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            int distance = Long.bitCount(query ^ fingerprints[i]);
            if (distance <= threshold && (distance < bestDistance || (distance == bestDistance && ids[i].compareTo(ids[best]) < 0))) {
                best = i;
                bestDistance = distance;
            }
        }
        return best < 0 ? null : new HammingIndex.Match(best, ids[best], fingerprints[best], references[best], bestDistance);
    }
}
