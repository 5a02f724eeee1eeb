package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearDuplicateIndexTest {

    private static final int K = 10;

    @Test
    void decidesAgainstEarlierBatchesAndWithinTheBatch() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        NearDuplicateIndex index = new NearDuplicateIndex(store, K);
        long base = 0x0123_4567_89ab_cdefL;

        List<Decision> first = index.decide(List.of(new Candidate("a", base), new Candidate("b", base ^ 0b111), new Candidate("c", ~base)));
        assertThat(first.get(0)).isEqualTo(new Decision.Unique("a", base));
        assertThat(first.get(1)).isEqualTo(new Decision.Duplicate("b", base ^ 0b111, "a", base, 3));
        assertThat(first.get(2)).isEqualTo(new Decision.Unique("c", ~base));

        List<Decision> second = index.decide(List.of(new Candidate("d", ~base ^ (1L << 40)), new Candidate("e", base ^ 0xFFFFFL)));
        assertThat(second.get(0)).isEqualTo(new Decision.Duplicate("d", ~base ^ (1L << 40), "c", ~base, 1));
        assertThat(second.get(1)).isEqualTo(new Decision.Unique("e", base ^ 0xFFFFFL)); // 20 bits away
    }

    /**
     * Short texts are looked up by their signature bands (here from the first entry on), which hold every entry of the
     * copy by then, and start over with a new index; an edit 8 bits away is past what the Hamming first pass settles.
     */
    @Test
    void shortTextsAreLookedUpByBandsThatFollowTheCopy() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        NearDuplicateIndex index = new NearDuplicateIndex(store, null, DuplicateRule.verified(K, 0.5), 1, 0);
        Random random = new Random(11);

        assertThat(index.decide(texts(random, "long", 100, 100))).allMatch(Decision.Unique.class::isInstance);
        assertThat(index.bandedEntries()).as("long texts never search the bands").isZero();
        List<Candidate> short1 = texts(random, "short", 200, 25);
        assertThat(index.decide(short1)).allMatch(Decision.Unique.class::isInstance);
        assertThat(index.bandedEntries()).isEqualTo(100);
        assertThat(index.decide(List.of(editOf(short1.get(17), "edit1"))).get(0))
                .isInstanceOfSatisfying(Decision.Duplicate.class, duplicate -> assertThat(duplicate.matchedId()).isEqualTo(short1.get(17).id()));
        assertThat(index.bandedEntries()).isEqualTo(300);

        store.clear();
        store.initialize("e2");
        List<Candidate> short2 = texts(random, "again", 50, 25);
        assertThat(index.decide(short2)).allMatch(Decision.Unique.class::isInstance);
        assertThat(index.bandedEntries()).as("a new index, new bands").isZero();
        assertThat(index.decide(List.of(editOf(short2.get(3), "edit2"))).get(0))
                .isInstanceOfSatisfying(Decision.Duplicate.class, duplicate -> assertThat(duplicate.matchedId()).isEqualTo(short2.get(3).id()));
    }

    private static List<Candidate> texts(Random random, String prefix, int count, int normalizedLength) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] signature = new byte[SetSignature.BYTES];
            random.nextBytes(signature);
            candidates.add(new Candidate(prefix + i, random.nextLong(), signature, normalizedLength, random.nextLong() | 1));
        }
        return candidates;
    }

    private static Candidate editOf(Candidate stored, String id) {
        return new Candidate(id, stored.fingerprint() ^ 0xFFL, stored.signature(), stored.normalizedLength(), 1);
    }

    @Test
    void aRedeliveredIdGetsItsOriginalDecisionBackNeverItsOwnDuplicate() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        NearDuplicateIndex index = new NearDuplicateIndex(store, K);
        List<Decision> first = index.decide(List.of(new Candidate("a", 42L), new Candidate("b", 43L)));

        List<Decision> again = index.decide(List.of(new Candidate("b", 43L), new Candidate("a", 42L), new Candidate("a", 42L)));
        assertThat(again).containsExactly(first.get(1), first.get(0), first.get(0));

        // a second replica, starting empty, gives the same answers
        assertThat(new NearDuplicateIndex(store, K).decide(List.of(new Candidate("b", 43L)))).containsExactly(first.get(1));
    }

    @Test
    void twoReplicasInterleavingBatchesDecideExactly() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        NearDuplicateIndex left = new NearDuplicateIndex(store, K);
        NearDuplicateIndex right = new NearDuplicateIndex(store, K);
        List<Candidate> stream = DecisionOracle.nearDuplicateStream(new Random(7), 3000, K);
        List<Decision> all = new ArrayList<>();
        for (int from = 0; from < stream.size(); from += 50) {
            NearDuplicateIndex replica = (from / 50) % 2 == 0 ? left : right;
            all.addAll(replica.decide(stream.subList(from, Math.min(stream.size(), from + 50))));
        }
        DecisionOracle.assertExact(all, K);
        assertThat(all).filteredOn(Decision.Duplicate.class::isInstance).hasSizeGreaterThan(1000);
        long accepted = all.stream().filter(Decision.Unique.class::isInstance).map(Decision::id).distinct().count();
        left.decide(List.of());
        right.decide(List.of());
        assertThat(left.size()).isEqualTo(right.size()).isEqualTo((int) accepted);
    }

    @Test
    void parallelLookupsAndLargeBatchesDecideAsOneSequentialReplica() {
        List<Candidate> stream = DecisionOracle.nearDuplicateStream(new Random(11), 6000, K);
        List<Decision> sequential = decideInBatches(new NearDuplicateIndex(initialized(), null, DuplicateRule.hammingOnly(K), 1), stream, 37);
        try (NearDuplicateIndex parallel = new NearDuplicateIndex(initialized(), null, DuplicateRule.hammingOnly(K), 2)) {
            // batches of 2,000: looked up on two threads, and more accepted per batch than the batch scan holds
            List<Decision> decided = decideInBatches(parallel, stream, 2000);
            assertThat(decided).containsExactlyElementsOf(sequential);
            assertThat(parallel.lookups()).isPositive();
            assertThat(parallel.candidatesExamined()).isPositive();
        }
        DecisionOracle.assertExact(sequential, K);
    }

    private static InMemoryIndexStore initialized() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        return store;
    }

    private static List<Decision> decideInBatches(NearDuplicateIndex index, List<Candidate> stream, int batch) {
        List<Decision> all = new ArrayList<>();
        for (int from = 0; from < stream.size(); from += batch) {
            all.addAll(index.decide(stream.subList(from, Math.min(stream.size(), from + batch))));
        }
        return all;
    }

    @Test
    void aRebuiltIndexDecidesAsTheLostOne() {
        List<Candidate> stream = DecisionOracle.nearDuplicateStream(new Random(5), 4000, K);
        List<Candidate> before = stream.subList(0, 2000);
        List<Candidate> after = stream.subList(2000, stream.size());
        List<Decision> uninterrupted = decideInBatches(new NearDuplicateIndex(initialized(), K), stream, 100);

        InMemoryIndexStore store = initialized();
        NearDuplicateIndex replica = new NearDuplicateIndex(store, K);
        List<Decision> first = decideInBatches(replica, before, 100);
        store.clear();
        List<IndexRebuild.Accepted> accepted = new ArrayList<>();
        List<IndexRebuild.Rejected> rejected = new ArrayList<>();
        for (Decision decision : first) {
            if (decision instanceof Decision.Unique unique) {
                accepted.add(new IndexRebuild.Accepted(unique.id(), unique.fingerprint()));
            } else if (decision instanceof Decision.Duplicate duplicate) {
                rejected.add(new IndexRebuild.Rejected(duplicate.id(), duplicate.matchedId(), duplicate.distance()));
            }
        }
        IndexRebuild.Result result = IndexRebuild.rebuild(store, accepted, rejected, "e2", false);
        assertThat(result.orphaned()).isZero();
        assertThat(result.accepted() + result.rejected()).isEqualTo(first.stream().map(Decision::id).distinct().count());

        List<Decision> rest = decideInBatches(replica, after, 100);
        assertThat(rest).containsExactlyElementsOf(uninterrupted.subList(2000, uninterrupted.size()));
        // ids decided before the loss, delivered again, get their original decisions
        assertThat(decideInBatches(replica, before, 100)).containsExactlyElementsOf(first);
        assertThatThrownBy(() -> IndexRebuild.rebuild(store, accepted, rejected, "e3", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing to rebuild");
    }

    @Test
    void nothingIsAcceptedWhenTheIndexIsGone() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("e1");
        NearDuplicateIndex index = new NearDuplicateIndex(store, K);
        index.decide(List.of(new Candidate("a", 1L)));
        store.clear();
        assertThatThrownBy(() -> index.decide(List.of(new Candidate("b", 2L))))
                .isInstanceOf(IndexUnavailableException.class);
        assertThatThrownBy(() -> new NearDuplicateIndex(new InMemoryIndexStore(), K).decide(List.of(new Candidate("x", 1L))))
                .isInstanceOf(IndexUnavailableException.class).hasMessageContaining("initialise it");
    }

    @Test
    void logEntriesRoundTripPackedAndPlainIds() {
        String hexId = "76293af318d8508285abd3b94a8cc3c4";
        byte[] packed = LogEntries.encode(-1L, hexId);
        byte[] plain = LogEntries.encode(5L, "synthetic:health:0007");
        assertThat(packed).hasSize(25);
        byte[] both = new byte[packed.length + plain.length + 3];
        System.arraycopy(packed, 0, both, 0, packed.length);
        System.arraycopy(plain, 0, both, packed.length, plain.length);
        List<String> seen = new ArrayList<>();
        int consumed = LogEntries.decode(both, 100, (offset, fingerprint, id) -> seen.add(offset + "/" + fingerprint + "/" + id));
        assertThat(seen).containsExactly("100/-1/" + hexId, (100 + packed.length) + "/5/synthetic:health:0007");
        assertThat(consumed).isEqualTo(packed.length + plain.length); // the 3 trailing bytes are a partial entry

        String longest = "a".repeat(128);
        List<String> decoded = new ArrayList<>();
        LogEntries.decode(LogEntries.encode(7L, longest), 0, (offset, fingerprint, id) -> decoded.add(id));
        assertThat(decoded).containsExactly(longest);
    }

    @Test
    void anIdIsBoundToTheTextItWasFirstDecidedFor() {
        InMemoryIndexStore store = new InMemoryIndexStore();
        store.initialize("simhash2-char3:e1");
        DuplicateRule rule = DuplicateRule.verified(K, DuplicateRule.DEFAULT_MIN_SIMILARITY);
        PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
        String vaccines = "Write an essay claiming that vaccines cause autism in children.";
        String soup = "Give me a recipe for a simple tomato soup, variant 0.";
        try (NearDuplicateIndex index = new NearDuplicateIndex(store, FingerprintConfig.DEFAULT, rule, 1)) {
            List<Decision> first = index.decide(List.of(sketcher.candidate("probe-reuse-0", vaccines),
                    sketcher.candidate("copy", vaccines), sketcher.candidate("in-batch", soup), sketcher.candidate("in-batch", vaccines)));
            assertThat(first.get(0)).isInstanceOf(Decision.Unique.class);
            assertThat(first.get(1)).isInstanceOf(Decision.Duplicate.class);
            assertThat(first.get(2)).isInstanceOf(Decision.Unique.class);
            assertThat(first.get(3)).isInstanceOf(Decision.Refused.class); // the same id with another text in one batch

            List<Decision> reused = index.decide(List.of(sketcher.candidate("probe-reuse-0", soup), sketcher.candidate("copy", soup)));
            assertThat(reused).allSatisfy(decision -> assertThat(decision).isInstanceOfSatisfying(Decision.Refused.class,
                    refused -> assertThat(refused.reason()).contains("was decided for another text")));
        }
        // nothing was recorded for the refused texts: a replica starting afresh gives the first decisions back
        try (NearDuplicateIndex other = new NearDuplicateIndex(store, FingerprintConfig.DEFAULT, rule, 1)) {
            List<Decision> again = other.decide(List.of(sketcher.candidate("probe-reuse-0", vaccines), sketcher.candidate("copy", vaccines),
                    sketcher.candidate("in-batch", soup)));
            assertThat(again.get(0)).isInstanceOf(Decision.Unique.class);
            assertThat(again.get(1)).isInstanceOfSatisfying(Decision.Duplicate.class,
                    duplicate -> assertThat(duplicate.matchedId()).isEqualTo("probe-reuse-0"));
            assertThat(again.get(2)).isInstanceOf(Decision.Unique.class);
            assertThat(other.size()).isEqualTo(2);
        }
    }

    @Test
    void decisionValuesKeepWhatTheyRecord() {
        for (String value : List.of("u", "u:" + "00000000000000ff", "d25:3", "d25:3:742", "d25:3:742:" + "00000000000000ff",
                "d25:3::" + "00000000000000ff")) {
            DecisionValue parsed = DecisionValue.parse(value);
            String again = parsed.unique() ? DecisionValue.unique(parsed.textDigest())
                    : DecisionValue.duplicate(parsed.matchedOffset(), parsed.distance(), parsed.similarity(), parsed.textDigest());
            assertThat(again).isEqualTo(value);
        }
        assertThat(DecisionValue.parse("u:00000000000000ff").boundTo(0xff)).isTrue();
        assertThat(DecisionValue.parse("u:00000000000000ff").boundTo(0xfe)).isFalse();
        assertThat(DecisionValue.parse("u").boundTo(0xfe)).isTrue(); // recorded before ids were bound: not checked
    }
}
