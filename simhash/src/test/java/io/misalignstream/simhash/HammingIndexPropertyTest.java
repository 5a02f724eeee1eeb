package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The index finds exactly the stored fingerprints a brute-force scan finds, for every threshold. */
class HammingIndexPropertyTest {

    @Property(tries = 400)
    void findsEveryFingerprintWithinTheThresholdOfRandomQueries(@ForAll("thresholds") int k, @ForAll long seed,
                                                                @ForAll @IntRange(min = 1, max = 400) int stored,
                                                                @ForAll @IntRange(min = 4, max = 8) int blocks) {
        Random random = new Random(seed);
        List<Long> fingerprints = new ArrayList<>();
        HammingIndex index = new HammingIndex(k, blocks);
        for (int i = 0; i < stored; i++) {
            long fingerprint = random.nextLong();
            fingerprints.add(fingerprint);
            index.add(fingerprint, "p" + i, i);
        }
        for (int q = 0; q < 20; q++) {
            assertSameAsBruteForce(index, fingerprints, random.nextLong(), k);
        }
    }

    /**
     * Adversarial: queries are stored fingerprints with bits flipped, at distances on both sides of k,
     * and the flipped bits concentrated in as few blocks as possible (the case a non-exact band index misses).
     */
    @Property(tries = 400)
    void findsEveryFingerprintWithinTheThresholdOfBitFlippedQueries(@ForAll("thresholds") int k, @ForAll long seed,
                                                                    @ForAll @IntRange(min = 4, max = 8) int blocks) {
        Random random = new Random(seed);
        List<Long> fingerprints = new ArrayList<>();
        HammingIndex index = new HammingIndex(k, blocks);
        long base = random.nextLong();
        for (int i = 0; i < 300; i++) {
            // a cluster of near-duplicates around one base, plus random ones
            long fingerprint = i % 3 == 0 ? random.nextLong() : flip(base, random, random.nextInt(k + 3), random.nextBoolean());
            fingerprints.add(fingerprint);
            index.add(fingerprint, "p" + i, i);
        }
        for (int q = 0; q < 40; q++) {
            long stored = fingerprints.get(random.nextInt(fingerprints.size()));
            int distance = Math.max(0, k + random.nextInt(5) - 2);
            assertSameAsBruteForce(index, fingerprints, flip(stored, random, distance, random.nextBoolean()), k);
        }
    }

    @Property(tries = 100)
    void nearestIsTheClosestThenSmallestId(@ForAll("thresholds") int k, @ForAll long seed,
                                           @ForAll @IntRange(min = 4, max = 8) int blocks) {
        Random random = new Random(seed);
        // near copies (found by the first pass alone) and farther ones (by the second) of one query
        HammingIndex index = new HammingIndex(k, blocks);
        long query = random.nextLong();
        List<Long> fingerprints = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long fingerprint = flip(query, random, random.nextInt(k + 4), random.nextBoolean());
            fingerprints.add(fingerprint);
            index.add(fingerprint, String.format("p%04d", 199 - i), i);
        }
        HammingIndex.Match nearest = index.nearest(query);
        int best = fingerprints.stream().mapToInt(f -> Long.bitCount(f ^ query)).min().orElseThrow();
        if (best > k) {
            assertThat(nearest).isNull();
            return;
        }
        String smallestId = null;
        for (int i = 0; i < fingerprints.size(); i++) {
            String id = String.format("p%04d", 199 - i);
            if (Long.bitCount(fingerprints.get(i) ^ query) == best && (smallestId == null || id.compareTo(smallestId) < 0)) {
                smallestId = id;
            }
        }
        assertThat(nearest.distance()).isEqualTo(best);
        assertThat(nearest.id()).isEqualTo(smallestId);
    }

    /** A search within a smaller radius, taking only the entries a predicate accepts, finds what brute force finds. */
    @Property(tries = 300)
    void nearestWithinARadiusThatAPredicateAcceptsIsExact(@ForAll("thresholds") int k, @ForAll long seed,
                                                          @ForAll @IntRange(min = 4, max = 8) int blocks) {
        Random random = new Random(seed);
        HammingIndex index = new HammingIndex(k, blocks);
        long base = random.nextLong();
        List<Long> fingerprints = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long fingerprint = flip(base, random, random.nextInt(k + 4), random.nextBoolean());
            fingerprints.add(fingerprint);
            index.add(fingerprint, "p" + i, i);
        }
        for (int q = 0; q < 30; q++) {
            int radius = random.nextInt(k + 1);
            int rejected = random.nextInt(3);
            long query = flip(fingerprints.get(random.nextInt(fingerprints.size())), random, random.nextInt(k + 3), random.nextBoolean());
            HammingIndex.Match nearest = index.nearest(query, radius, position -> position % 3 != rejected);
            Integer best = null;
            for (int i = 0; i < fingerprints.size(); i++) {
                int distance = Long.bitCount(fingerprints.get(i) ^ query);
                if (distance <= radius && i % 3 != rejected && (best == null || distance < Long.bitCount(fingerprints.get(best) ^ query)
                        || distance == Long.bitCount(fingerprints.get(best) ^ query) && ("p" + i).compareTo("p" + best) < 0)) {
                    best = i;
                }
            }
            if (best == null) {
                assertThat(nearest).isNull();
            } else {
                assertThat(nearest).isNotNull();
                assertThat(nearest.position()).isEqualTo(best);
            }
            // the first pass alone settles a near-copy, and only then answers
            HammingIndex.Match nearCopy = index.nearestNearCopy(query, radius, position -> position % 3 != rejected);
            int indexedBlocks = (int) java.util.stream.IntStream.range(0, blocks).filter(block -> block <= k % blocks || k / blocks > 0).count();
            if (nearest != null && nearest.distance() < indexedBlocks) {
                assertThat(nearCopy).isEqualTo(nearest);
            } else {
                assertThat(nearCopy).isNull();
            }
        }
    }

    @Provide
    Arbitrary<Integer> thresholds() {
        return Arbitraries.of(0, 1, 2, 3, 5, 6, 7, 10, 11, 12, 16);
    }

    private static void assertSameAsBruteForce(HammingIndex index, List<Long> fingerprints, long query, int k) {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < fingerprints.size(); i++) {
            if (Long.bitCount(fingerprints.get(i) ^ query) <= k) {
                expected.add(i);
            }
        }
        assertThat(index.within(query)).extracting(HammingIndex.Match::position).containsExactlyElementsOf(expected);
        // nearest: the smallest distance, then the smallest id, whichever pass finds it
        HammingIndex.Match nearest = index.nearest(query);
        Integer best = expected.stream().min(java.util.Comparator
                .comparingInt((Integer i) -> Long.bitCount(fingerprints.get(i) ^ query)).thenComparing(i -> "p" + i)).orElse(null);
        if (best == null) {
            assertThat(nearest).isNull();
        } else {
            assertThat(nearest.position()).isEqualTo(best);
            assertThat(nearest.distance()).isEqualTo(Long.bitCount(fingerprints.get(best) ^ query));
        }
    }

    /** Flips {@code bits} distinct bits; when {@code packed}, adjacent bits from a random start, so they crowd few blocks. */
    static long flip(long fingerprint, Random random, int bits, boolean packed) {
        bits = Math.min(bits, 64);
        long result = fingerprint;
        if (packed) {
            int start = random.nextInt(64);
            List<Integer> order = new ArrayList<>();
            for (int b = 0; b < 64; b++) {
                order.add((start + b) % 64);
            }
            for (int i = 0; i < bits; i++) {
                result ^= 1L << order.get(i);
            }
            return result;
        }
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        while (chosen.size() < bits) {
            chosen.add(random.nextInt(64));
        }
        for (int bit : chosen) {
            result ^= 1L << bit;
        }
        return result;
    }
}
