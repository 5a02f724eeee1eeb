package io.misalignstream.contracts.event;

/**
 * Text every stage can encode and every store can take: no NUL (PostgreSQL's text type refuses it) and no unpaired
 * UTF-16 surrogate (UTF-8 has no encoding for one; a JSON parser accepts {@code "\ud800"} and the encoder then writes
 * something else, silently changing the text). Events refuse such text ({@link InvalidEventException}); what an LLM
 * answers is taken as it comes, {@link #repaired}.
 */
public final class EncodableText {

    /** What {@link #repaired} puts in place of each character no stage can carry. */
    public static final char REPLACEMENT = '\uFFFD';

    private EncodableText() {
    }

    /** The index of the first unpaired surrogate, or -1. */
    public static int unpairedSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** The text with every NUL and unpaired surrogate replaced by {@link #REPLACEMENT}; the same text when it has none. */
    public static String repaired(String text) {
        if (text == null || (text.indexOf('\u0000') < 0 && unpairedSurrogate(text) < 0)) {
            return text;
        }
        StringBuilder repaired = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                repaired.append(c).append(text.charAt(++i));
            } else {
                repaired.append(c == '\u0000' || Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return repaired.toString();
    }
}
