package io.misalignstream.simhash;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.ObjLongConsumer;

/**
 * The binary form of the accepted-prompt log: per entry the fingerprint (8 bytes, big-endian), a
 * length byte, the id and, in an index of fingerprint version 2, the prompt's {@link SetSignature}
 * ({@value SetSignature#BYTES} bytes; an index's entries all have one or none). Ids of 32 lower-case hex
 * digits (those {@code misalign ingest} makes) are packed into 16 bytes, flagged by the length byte's high
 * bit: 25 bytes an entry instead of 41 (153 with a signature). Ids of 1 to 128 bytes (the contracts' limit) fit.
 */
public final class LogEntries {

    private static final int PACKED = 0x80;
    private static final int MAX_ID_BYTES = 128;

    private LogEntries() {
    }

    /** The id as stored in the log: packed when it is 32 hex digits, else its bytes. */
    public static byte[] idBytes(String id) {
        if (isPackable(id)) {
            return HexFormat.of().parseHex(id);
        }
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The id's field in the decision hashes: packed ids behind a 0x01 byte, other ids as they are. Ids are
     * ASCII letters, digits and {@code ._:-}, so a 16-character id can never equal a packed one.
     */
    public static byte[] decisionField(String id) {
        byte[] bytes = idBytes(id);
        if (!isPackable(id)) {
            return bytes;
        }
        byte[] field = new byte[bytes.length + 1];
        field[0] = 1;
        System.arraycopy(bytes, 0, field, 1, bytes.length);
        return field;
    }

    /** 32 lower-case hex digits; a loop, not a regular expression: it runs several times per prompt. */
    private static boolean isPackable(String id) {
        if (id.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = id.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    public static byte[] encode(long fingerprint, String id) {
        return encode(fingerprint, id, null);
    }

    /** An entry with the signature after the id; {@code null}: none. */
    public static byte[] encode(long fingerprint, String id, byte[] signature) {
        byte[] idBytes = idBytes(id);
        boolean packed = isPackable(id);
        if (idBytes.length == 0 || idBytes.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("id must have 1 to " + MAX_ID_BYTES + " bytes: " + id);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(9 + idBytes.length);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (fingerprint >>> shift) & 0xff);
        }
        // 7 bits of length: the contracts' longest id, 128 bytes, is written as 0 (no id is empty)
        int length = idBytes.length & 0x7f;
        out.write(packed ? PACKED | length : length);
        out.writeBytes(idBytes);
        if (signature != null) {
            out.writeBytes(signature);
        }
        return out.toByteArray();
    }

    /**
     * Calls {@code entry} with the offset, fingerprint and id of each complete entry.
     *
     * @return the number of bytes consumed (a trailing partial entry is left for the next read)
     */
    public static int decode(byte[] bytes, long baseOffset, EntryConsumer entry) {
        return decode(bytes, baseOffset, 0, (offset, fingerprint, id, signatures, signatureAt) -> entry.accept(offset, fingerprint, id));
    }

    /**
     * As {@link #decode(byte[], long, EntryConsumer)} for entries with a signature of {@code signatureBytes}
     * (0: none), which {@code entry} finds in {@code bytes} at the offset it is given.
     */
    public static int decode(byte[] bytes, long baseOffset, int signatureBytes, SignedEntryConsumer entry) {
        int at = 0;
        while (at + 9 <= bytes.length) {
            int header = bytes[at + 8] & 0xff;
            int length = header & 0x7f;
            if (length == 0) {
                length = MAX_ID_BYTES;
            }
            if (at + 9 + length + signatureBytes > bytes.length) {
                break;
            }
            long fingerprint = 0;
            for (int i = 0; i < 8; i++) {
                fingerprint = (fingerprint << 8) | (bytes[at + i] & 0xff);
            }
            String id = (header & PACKED) != 0
                    ? HexFormat.of().formatHex(bytes, at + 9, at + 9 + length)
                    : new String(bytes, at + 9, length, StandardCharsets.UTF_8);
            entry.accept(baseOffset + at, fingerprint, id, bytes, at + 9 + length);
            at += 9 + length + signatureBytes;
        }
        return at;
    }

    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long offset, long fingerprint, String id);
    }

    @FunctionalInterface
    public interface SignedEntryConsumer {
        void accept(long offset, long fingerprint, String id, byte[] bytes, int signatureAt);
    }
}
