package io.misalignstream.cli.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 decoding that refuses malformed input instead of replacing it with U+FFFD. */
final class StrictUtf8 {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /** @return the text, or {@code null} when the bytes are not valid UTF-8 */
    String decode(byte[] bytes) {
        try {
            return decoder.reset().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String excerpt(byte[] bytes) {
        String lossy = new String(bytes, 0, Math.min(bytes.length, 400), StandardCharsets.UTF_8);
        return excerpt(lossy);
    }

    static String excerpt(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
