package io.misalignstream.simhash;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

/** The all-ASCII fast path normalises exactly as the full Unicode path does. */
class TextNormalizerPropertyTest {

    /** A trailing no-break space sends the text down the Unicode path, and as a trailing separator changes nothing. */
    private static final String FORCE_UNICODE_PATH = "\u00A0";

    @Property(tries = 2000)
    void asciiTextNormalisesAsOnTheUnicodePath(@ForAll @CharRange(from = 0, to = 127) @StringLength(max = 80) String text) {
        assertThat(TextNormalizer.normalize(text)).isEqualTo(TextNormalizer.normalize(text + FORCE_UNICODE_PATH));
    }

    @Property(tries = 500)
    void asciiTextFingerprintsAsOnTheUnicodePath(@ForAll @CharRange(from = 32, to = 126) @StringLength(min = 1, max = 200) String text) {
        SimHasher hasher = new SimHasher(FingerprintConfig.DEFAULT);
        if (TextNormalizer.normalize(text).isEmpty()) {
            return; // fingerprinted from the folded text, where the extra space is not removed
        }
        assertThat(hasher.fingerprint(text)).isEqualTo(hasher.fingerprint(text + FORCE_UNICODE_PATH));
    }
}
