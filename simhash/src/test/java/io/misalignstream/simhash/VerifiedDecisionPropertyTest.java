package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Under the verified rule the index decides exactly as one replica taking the candidates one at a time against every
 * accepted prompt by brute force ({@link DuplicateRule#matches}): whatever the batch size, the lookup threads, the
 * number of replicas, the radius a text's length gives it, re-deliveries, or whether wide radii search the signature
 * bands (from the first entry, or from a copy's 400th, built then from the signatures held) or the Hamming buckets.
 */
class VerifiedDecisionPropertyTest {

    private static final DuplicateRule RULE = DuplicateRule.verified(10, 0.5);

    @Property(tries = 60)
    void batchesThreadsAndReplicasDecideAsTheBruteForceSequence(@ForAll long seed, @ForAll @IntRange(min = 1, max = 700) int batch,
                                                                 @ForAll @IntRange(min = 1, max = 2) int threads,
                                                                 @ForAll @IntRange(min = 1, max = 3) int replicas,
                                                                 @ForAll("bandsFrom") int bandsFromEntries) {
        List<Candidate> stream = stream(new Random(seed), 1500);
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        List<NearDuplicateIndex> indexes = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            indexes.add(new NearDuplicateIndex(store, null, RULE, threads, bandsFromEntries));
        }
        List<Decision> decided = new ArrayList<>();
        for (int from = 0, turn = 0; from < stream.size(); from += batch, turn++) {
            decided.addAll(indexes.get(turn % replicas).decide(stream.subList(from, Math.min(stream.size(), from + batch))));
        }
        indexes.forEach(NearDuplicateIndex::close);
        assertThat(decided).containsExactlyElementsOf(bruteForce(stream));
        assertThat(decided).filteredOn(Decision.Duplicate.class::isInstance).isNotEmpty();
    }

    @Provide
    Arbitrary<Integer> bandsFrom() {
        return Arbitraries.of(0, 400, NearDuplicateIndex.BANDS_FROM_ENTRIES);
    }

    /** One candidate at a time against every accepted prompt: the definition the index must meet. */
    static List<Decision> bruteForce(List<Candidate> stream) {
        List<Candidate> accepted = new ArrayList<>();
        Map<String, Decision> first = new HashMap<>();
        List<Decision> decisions = new ArrayList<>();
        for (Candidate candidate : stream) {
            Decision decision = first.get(candidate.id());
            if (decision == null) {
                Candidate match = accepted.stream().filter(stored -> RULE.matches(stored, candidate))
                        .min(Comparator.<Candidate>comparingInt(stored -> Long.bitCount(stored.fingerprint() ^ candidate.fingerprint()))
                                .thenComparing(Candidate::id))
                        .orElse(null);
                if (match == null) {
                    accepted.add(candidate);
                    decision = new Decision.Unique(candidate.id(), candidate.fingerprint());
                } else {
                    decision = new Decision.Duplicate(candidate.id(), candidate.fingerprint(), match.id(), match.fingerprint(),
                            Long.bitCount(match.fingerprint() ^ candidate.fingerprint()),
                            DecisionValue.rounded(SetSignature.similarity(match.signature(), candidate.signature())));
                }
                first.put(candidate.id(), decision);
            }
            decisions.add(decision);
        }
        return decisions;
    }

    /**
     * Clusters of prompts a few bits apart, each with its centre's signature more or less changed (estimated similarity
     * from 1 down to about 0.2, on both sides of the minimum), texts of lengths that give radii 10 to 16, some near
     * fingerprints with unrelated signatures (distinct texts that fall near by chance) and some re-deliveries.
     */
    static List<Candidate> stream(Random random, int size) {
        int[] lengths = {12, 35, 45, 80, 400};
        List<Long> centres = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < size / 12 + 1; i++) {
            centres.add(random.nextLong());
            byte[] signature = new byte[SetSignature.BYTES];
            random.nextBytes(signature);
            signatures.add(signature);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (i > 0 && random.nextInt(20) == 0) {
                candidates.add(candidates.get(random.nextInt(candidates.size())));
                continue;
            }
            int cluster = random.nextInt(centres.size());
            byte[] signature = signatures.get(cluster).clone();
            int changed = random.nextInt(8) == 0 ? SetSignature.BYTES : random.nextInt(100);
            for (int c = 0; c < changed; c++) {
                signature[random.nextInt(SetSignature.BYTES)] = (byte) random.nextInt();
            }
            long fingerprint = HammingIndexPropertyTest.flip(centres.get(cluster), random, random.nextInt(18), random.nextBoolean());
            candidates.add(new Candidate(String.format("%032x", i), fingerprint, signature, lengths[random.nextInt(lengths.length)],
                    random.nextLong() | 1));
        }
        return candidates;
    }
}
