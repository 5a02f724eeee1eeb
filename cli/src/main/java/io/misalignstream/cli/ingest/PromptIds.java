package io.misalignstream.cli.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Prompt ids of ingested rows: the first 128 bits of SHA-256 over (data set, row, text), in hex.
 * Re-ingesting the same file gives the same ids, so downstream idempotency absorbs the repeat;
 * an edited row gets a new id; identical texts on different rows stay distinct prompts (the
 * dedup stage, not the id, decides what is a duplicate).
 */
public final class PromptIds {

    private PromptIds() {
    }

    public static String of(String dataset, long row, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dataset.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(row).getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) 0);
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
