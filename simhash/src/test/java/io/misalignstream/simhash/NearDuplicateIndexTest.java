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
    }
}
