package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetSignatureTest {

    private final SetSignature signatures = new SetSignature();

    @Test
    void signaturesAreStableAcrossReleasesOfTheSameVersion() {
        // Pinned: indexes store these bytes; a change here needs a new fingerprint ALGORITHM version.
        byte[] signature = signatures.of("Write a poem about rain");
        assertThat(signature).hasSize(SetSignature.BYTES);
        assertThat(HexFormat.of().formatHex(signature, 0, 16)).isEqualTo(PINNED_FIRST_16);
    }

    @Test
    void textsThatNormaliseAlikeHaveTheSameSignature() {
        assertThat(signatures.of("Write a POEM, about rain!")).isEqualTo(signatures.of("write a poem about rain"));
        assertThat(SetSignature.similarity(signatures.of("what is my balance"), signatures.of("What is my balance?"))).isEqualTo(1.0);
    }

    @Test
    void theEstimateFollowsTheExactJaccardSimilarityOfTheFiveGramSets() {
        Random random = new Random(3);
        String[] words = "the a what is how to my card balance transfer poem rain write explain money bank account why when"
                .split(" ");
        double worst = 0;
        for (int pair = 0; pair < 300; pair++) {
            StringBuilder a = new StringBuilder();
            for (int i = 0; i < 4 + random.nextInt(20); i++) {
                a.append(words[random.nextInt(words.length)]).append(' ');
            }
            StringBuilder b = new StringBuilder(a);
            for (int i = 0; i < random.nextInt(6); i++) {
                b.insert(random.nextInt(b.length()), words[random.nextInt(words.length)] + " ");
            }
            double exact = jaccard(fiveGrams(a.toString()), fiveGrams(b.toString()));
            double estimate = SetSignature.similarity(signatures.of(a.toString()), signatures.of(b.toString()));
            worst = Math.max(worst, Math.abs(exact - estimate));
        }
        // standard error at most 0.044 with 128 components: 300 pairs stay within about four of them
        assertThat(worst).isLessThan(0.2);
    }

    @Test
    void theEstimateInvertsChanceAgreement() {
        assertThat(SetSignature.estimate(SetSignature.COMPONENTS)).isEqualTo(1.0);
        assertThat(SetSignature.estimate(0)).isEqualTo(0.0);
        assertThat(SetSignature.estimate(SetSignature.COMPONENTS / 2)).isCloseTo(0.498, within(0.001));
    }

    private static Set<String> fiveGrams(String text) {
        String normalized = TextNormalizer.normalize(text);
        Set<String> grams = new HashSet<>();
        for (int i = 0; i + SetSignature.SHINGLE <= normalized.length(); i++) {
            grams.add(normalized.substring(i, i + SetSignature.SHINGLE));
        }
        if (grams.isEmpty()) {
            grams.add(normalized);
        }
        return grams;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return (double) common.size() / union.size();
    }

    private static final String PINNED_FIRST_16 = "c3235d0106c073e4f2459ceec34c2e32";
}
