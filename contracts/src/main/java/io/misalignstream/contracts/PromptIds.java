package io.misalignstream.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids of prompts that arrive without one (files ingested by the CLI, posts to the classifier's front door):
 * the first 128 bits of SHA-256 over (data set, NUL, row, NUL, text), in hex, the row part empty when there
 * is none. Ingesting the same row again, from a file or over HTTP, gives the same id, so downstream
 * idempotency absorbs the repeat; an edited row gets a new id; identical texts on different rows stay
 * distinct prompts (the dedup stage, not the id, decides what is a duplicate).
 */
public final class PromptIds {

    private PromptIds() {
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
