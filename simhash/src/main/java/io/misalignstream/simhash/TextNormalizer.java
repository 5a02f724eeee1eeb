package io.misalignstream.simhash;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The text a fingerprint is computed from: Unicode NFKC, case-folded (upper then lower case, so that
 * e.g. "ß" and "SS" fold alike), every run of whitespace, punctuation, symbols' neighbours and control
 * characters collapsed into one space, trimmed. Punctuation separates words rather than joining them
 * ("well-known" becomes "well known").
 */
public final class TextNormalizer {

    private TextNormalizer() {
    }

    /** NFKC and case folding only: nothing removed. */
    public static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    public static String normalize(String text) {
        String folded = fold(text);
        StringBuilder out = new StringBuilder(folded.length());
        boolean pendingSpace = false;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (isSeparator(cp)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.appendCodePoint(cp);
        }
        return out.toString();
    }

    private static boolean isSeparator(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.CONTROL, Character.FORMAT -> true;
            default -> false;
        };
    }
}
