package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Checks a set of decisions against the definition of exact near-duplicate removal, by brute force. */
final class DecisionOracle {

    private DecisionOracle() {
    }

    static void assertExact(List<Decision> decisions, int k) {
        Map<String, Decision> byId = new HashMap<>();
        List<Decision.Unique> accepted = new ArrayList<>();
        for (Decision decision : decisions) {
            Decision previous = byId.putIfAbsent(decision.id(), decision);
            if (previous != null) {
                assertThat(decision).as("a re-delivered id gets its first decision").isEqualTo(previous);
                continue;
            }
            if (decision instanceof Decision.Unique unique) {
                accepted.add(unique);
            }
        }
        for (int i = 0; i < accepted.size(); i++) {
            for (int j = i + 1; j < accepted.size(); j++) {
                int distance = Long.bitCount(accepted.get(i).fingerprint() ^ accepted.get(j).fingerprint());
                assertThat(distance).as("%s and %s both accepted", accepted.get(i).id(), accepted.get(j).id()).isGreaterThan(k);
            }
        }
        for (Decision decision : byId.values()) {
            if (decision instanceof Decision.Duplicate duplicate) {
                assertThat(byId.get(duplicate.matchedId())).as("the match of %s", duplicate.id()).isInstanceOf(Decision.Unique.class);
                assertThat(Long.bitCount(duplicate.fingerprint() ^ duplicate.matchedFingerprint())).isEqualTo(duplicate.distance());
                assertThat(duplicate.distance()).isLessThanOrEqualTo(k);
            }
        }
    }

    /** A stream full of near-duplicates: clusters of fingerprints a few bits apart, some ids repeated. */
    static List<Candidate> nearDuplicateStream(Random random, int size, int k) {
        List<Long> centres = new ArrayList<>();
        for (int i = 0; i < size / 10 + 1; i++) {
            centres.add(random.nextLong());
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (i > 0 && random.nextInt(20) == 0) {
                candidates.add(candidates.get(random.nextInt(candidates.size()))); // re-delivery
                continue;
            }
            long centre = centres.get(random.nextInt(centres.size()));
            candidates.add(new Candidate(String.format("%032x", i), HammingIndexPropertyTest.flip(centre, random,
                    random.nextInt(2 * k + 2), random.nextBoolean())));
        }
        return candidates;
    }
}
