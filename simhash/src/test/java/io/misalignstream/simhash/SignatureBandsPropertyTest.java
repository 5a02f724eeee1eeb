package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The bands find exactly what a brute-force scan finds: the nearest entry within the radius whose signature is at
 * least as alike as the minimum, whatever the minimum they are exact for.
 */
class SignatureBandsPropertyTest {

    /**
     * Entries made from the query's signature with 0 to 128 components changed, the changes spread over as many bands
     * as possible or packed into as few (the case that would escape bands of the wrong width), and fingerprints on both
     * sides of the radius.
     */
    @Property(tries = 300)
    void findsTheNearestEntryAsAlikeAsTheMinimum(@ForAll long seed, @ForAll @IntRange(min = 0, max = 16) int radius,
                                                 @ForAll @DoubleRange(min = 0.5, max = 1.0) double minSimilarity,
                                                 @ForAll @IntRange(min = 1, max = 300) int stored) {
        Random random = new Random(seed);
        byte[] querySignature = new byte[SetSignature.BYTES];
        random.nextBytes(querySignature);
        long query = random.nextLong();
        HammingIndex entries = new HammingIndex(HammingIndex.MAX_DISTANCE);
        SetSignature.Table signatures = new SetSignature.Table();
        SignatureBands bands = new SignatureBands();
        List<byte[]> all = new ArrayList<>();
        int leastEqual = SetSignature.leastEqualComponents(minSimilarity);
        List<Integer> idOrder = new ArrayList<>();
        for (int i = 0; i < stored; i++) {
            idOrder.add(i);
        }
        java.util.Collections.shuffle(idOrder, random); // ids unique, their order not the positions
        for (int i = 0; i < stored; i++) {
            byte[] signature = querySignature.clone();
            int changed = Math.max(0, Math.min(SetSignature.COMPONENTS, SetSignature.COMPONENTS - leastEqual + random.nextInt(5) - 2));
            if (random.nextInt(4) == 0) {
                changed = random.nextInt(SetSignature.COMPONENTS + 1);
            }
            change(signature, changed, random.nextBoolean(), random);
            entries.add(HammingIndexPropertyTest.flip(query, random, random.nextInt(radius + 3), random.nextBoolean()),
                    String.format("p%04d", idOrder.get(i)), i);
            signatures.add(signature);
            bands.add(signature, 0);
            all.add(signature);
        }
        IntPredicate alike = position -> signatures.similarity(position, querySignature) >= minSimilarity;

        HammingIndex.Match found = bands.nearest(entries, query, radius, querySignature, alike);

        HammingIndex.Match expected = null;
        for (int p = 0; p < stored; p++) {
            int distance = Long.bitCount(query ^ entries.fingerprint(p));
            if (distance <= radius && SetSignature.similarity(all.get(p), querySignature) >= minSimilarity
                    && (expected == null || distance < expected.distance()
                    || distance == expected.distance() && entries.id(p).compareTo(expected.id()) < 0)) {
                expected = new HammingIndex.Match(p, entries.id(p), entries.fingerprint(p), entries.reference(p), distance);
            }
        }
        assertThat(found).isEqualTo(expected);
    }

    @Example
    void areExactFromASimilarityOfAboutHalfOn() {
        assertThat(SignatureBands.exactFor(0.5)).isTrue();
        assertThat(SignatureBands.exactFor(0.9)).isTrue();
        // 0.495 is reached with 64 equal components: 64 changed ones can leave no band whole
        assertThat(SignatureBands.exactFor(0.495)).isFalse();
        assertThat(SignatureBands.exactFor(0.499)).isTrue();
        assertThat(SetSignature.leastEqualComponents(0.5)).isEqualTo(65);
        assertThat(SetSignature.leastEqualComponents(0.495)).isEqualTo(64);
    }

    /** Changes {@code count} distinct components: spread over bands first, or filling whole bands first. */
    private static void change(byte[] signature, int count, boolean spread, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < SetSignature.COMPONENTS; i++) {
            order.add(spread ? (i % SignatureBands.BANDS) * 2 + i / SignatureBands.BANDS : i);
        }
        for (int i = 0; i < count; i++) {
            int component = order.get(i);
            signature[component] = (byte) (signature[component] + 1 + random.nextInt(255));
        }
    }
}
