package io.misalignstream.simhash;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The text a fingerprint is computed from: Unicode NFKC, case-folded (upper then lower case, so that
 * e.g. "ß" and "SS" fold alike), every run of whitespace, punctuation, symbols' neighbours and control
 * characters collapsed into one space, trimmed. Punctuation separates words rather than joining them
 * ("well-known" becomes "well known").
 */
public final class TextNormalizer {

    /** Each ASCII character folded, or 0 for a separator (NUL, the one character that would fold to 0, is a separator). */
    private static final byte[] ASCII_FOLDED = new byte[128];

    static {
        for (char c = 0; c < ASCII_FOLDED.length; c++) {
            ASCII_FOLDED[c] = isSeparator(c) ? 0 : (byte) fold(String.valueOf(c)).charAt(0);
        }
    }

    private TextNormalizer() {
    }

    /** NFKC and case folding only: nothing removed. */
    public static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    public static String normalize(String text) {
        String ascii = normalizeAscii(text);
        return ascii != null ? ascii : normalizeUnicode(text);
    }

    /**
     * The same result for all-ASCII text without NFKC and case mapping, which cost most of the time:
     * ASCII is its own NFKC form and folds character by character. Null when the text is not all ASCII.
     */
    private static String normalizeAscii(String text) {
        int length = text.length();
        byte[] out = new byte[length];
        int size = 0;
        int previousSeparator = 1; // so that leading separators write nothing
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                return null;
            }
            // Without branches on the character: they mispredict on every word boundary.
            byte folded = ASCII_FOLDED[c];
            int separator = folded == 0 ? 1 : 0;
            out[size] = separator == 1 ? (byte) ' ' : folded;
            // keep a character, and the first separator of each run as one space
            size += (separator & ~previousSeparator) | (separator ^ 1);
            previousSeparator = separator;
        }
        if (size > 0 && previousSeparator == 1) {
            size--; // the space of a trailing run of separators
        }
        return new String(out, 0, size, StandardCharsets.ISO_8859_1);
    }

    private static String normalizeUnicode(String text) {
        String folded = fold(text);
        int length = folded.length();
        // never longer than the folded text: characters are kept or dropped, runs become one space
        char[] out = new char[length];
        int size = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < length; ) {
            int cp = folded.codePointAt(i);
            int chars = Character.charCount(cp);
            // most characters of real prompts are ASCII: a table lookup instead of three Unicode ones
            if (cp < ASCII_FOLDED.length ? ASCII_FOLDED[cp] == 0 : isSeparator(cp)) {
                pendingSpace = size > 0;
            } else {
                if (pendingSpace) {
                    out[size++] = ' ';
                    pendingSpace = false;
                }
                folded.getChars(i, i + chars, out, size);
                size += chars;
            }
            i += chars;
        }
        return new String(out, 0, size);
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
