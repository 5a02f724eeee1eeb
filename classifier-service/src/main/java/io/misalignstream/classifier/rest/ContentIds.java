package io.misalignstream.classifier.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids of prompts posted without one: the first 128 bits of SHA-256 over (data set, NUL, row, NUL, text), in hex,
 * the scheme of the CLI's {@code PromptIds}, so a row posted here and the same row ingested from a file get the
 * same id and downstream idempotency absorbs the repeat. Without a row the row part is empty: the same text
 * posted twice to the same data set is one prompt, and a client that retries after a 503 publishes no new one.
 */
public final class ContentIds {

    private ContentIds() {
    }

    public static String of(String dataset, Long row, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dataset.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (row != null) {
                sha.update(Long.toString(row).getBytes(StandardCharsets.US_ASCII));
            }
            sha.update((byte) 0);
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
