package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SimHasherTest {

    private final SimHasher chars = new SimHasher(new FingerprintConfig(FeatureKind.CHAR, 4));
    private final SimHasher words = new SimHasher(new FingerprintConfig(FeatureKind.WORD, 3));

    @Test
    void normalisationFoldsCaseWidthPunctuationAndSpaces() {
        assertThat(TextNormalizer.normalize("  Hello,\tWORLD!!  ｆｕｌｌ-width\u00A0Straße… ")).isEqualTo("hello world full width strasse");
        assertThat(TextNormalizer.normalize("?!…")).isEmpty();
    }

    @Test
    void textsThatNormaliseAlikeHaveTheSameFingerprint() {
        assertThat(chars.fingerprint("Write a POEM, about rain!")).isEqualTo(chars.fingerprint("write a poem about rain"));
        assertThat(words.fingerprint("Write a POEM, about rain!")).isEqualTo(words.fingerprint("write   a poem about rain"));
    }

    @Test
    void fingerprintsAreStableAcrossReleasesOfTheSameVersion() {
        // Pinned values: a change here changes what stored fingerprints mean, which needs a new ALGORITHM version.
        assertThat(chars.config().version()).isEqualTo("simhash2-char4");
        assertThat(Long.toHexString(chars.fingerprint("Write a poem about rain"))).isEqualTo(PINNED_CHAR4);
        assertThat(Long.toHexString(words.fingerprint("Write a poem about rain"))).isEqualTo(PINNED_WORD3);
    }

    @Test
    void aSmallEditMovesTheFingerprintLessThanADifferentText() {
        String prompt = "Explain how vaccines train the immune system to recognise a virus, in simple words for a child";
        String edited = "Please explain how vaccines train the immune system to recognize a virus, in simple words for a child";
        String other = "Suggest three vegetarian dinners that can be cooked in twenty minutes on a budget";
        int near = Long.bitCount(chars.fingerprint(prompt) ^ chars.fingerprint(edited));
        int far = Long.bitCount(chars.fingerprint(prompt) ^ chars.fingerprint(other));
        assertThat(near).isLessThan(far);
        assertThat(near).isLessThanOrEqualTo(12);
        assertThat(far).isGreaterThan(16);
    }

    @Test
    void shortTextsHaveADefinedFingerprint() {
        assertThat(words.fingerprint("hi")).isEqualTo(words.fingerprint("HI!"));
        assertThat(words.fingerprint("hi there")).isNotEqualTo(words.fingerprint("hi"));
        assertThat(chars.fingerprint("ok")).isNotZero();
        assertThat(chars.fingerprint("???")).isNotEqualTo(chars.fingerprint("!!!"));
    }

    @Test
    void aMegabyteOfTextIsFingerprinted() {
        String big = "lorem ipsum dolor sit amet ".repeat(40_000);
        assertThat(chars.fingerprint(big)).isEqualTo(chars.fingerprint(big.toUpperCase()));
    }

    @Test
    void configurationIsParsedAndChecked() {
        assertThat(FingerprintConfig.parse("word3")).isEqualTo(new FingerprintConfig(FeatureKind.WORD, 3));
        assertThat(FingerprintConfig.parse("CHAR5").version()).isEqualTo("simhash2-char5");
        assertThat(FingerprintConfig.parse("CHAR5").verified()).isTrue();
        // an index made before version 2 stays readable under its own version
        assertThat(FingerprintConfig.parse("simhash1-char3")).isEqualTo(new FingerprintConfig(FeatureKind.CHAR, 3, 1));
        assertThat(FingerprintConfig.parse("simhash1-char3").verified()).isFalse();
        assertThatThrownBy(() -> FingerprintConfig.parse("simhash3-char3")).hasMessageContaining("algorithm must be 1 or 2");
        assertThatThrownBy(() -> FingerprintConfig.parse("bigram2")).hasMessageContaining("word<N> or char<N>");
        assertThatThrownBy(() -> new FingerprintConfig(FeatureKind.CHAR, 0)).hasMessageContaining("between 1 and 16");
    }

    private static final String PINNED_CHAR4 = "c1a980e365b2c590";
    private static final String PINNED_WORD3 = "448d45f44c52e848";
}
