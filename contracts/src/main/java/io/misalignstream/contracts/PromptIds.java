package io.misalignstream.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids of prompts. A client's own id lives in its data set's namespace ({@link #client}). Ids of prompts that arrive
 * without one (files ingested by the CLI, posts to the classifier's front door):
 * the first 128 bits of SHA-256 over (data set, NUL, row, NUL, text), in hex, the row part empty when there
 * is none. Ingesting the same row again, from a file or over HTTP, gives the same id, so downstream
 * idempotency absorbs the repeat; an edited row gets a new id; identical texts on different rows stay
 * distinct prompts (the dedup stage, not the id, decides what is a duplicate).
 */
public final class PromptIds {

    /** Between a data set's name and a client's id in a {@link #client} id. */
    public static final char NAMESPACE_SEPARATOR = ':';

    private PromptIds() {
    }

    /**
     * A client's own id in its data set's namespace, {@code <dataset>:<id>}, so that two data sets may use the same
     * ids without one's prompt being taken for the other's. The data set's name must hold no
     * {@link #NAMESPACE_SEPARATOR} ({@link #isNamespace}), so that each id has one reading.
     */
    public static String client(String dataset, String id) {
        if (!isNamespace(dataset)) {
            throw new IllegalArgumentException("dataset '" + dataset + "' cannot prefix an id: letters, digits and . _ - only, "
                    + "starting with a letter or a digit");
        }
        return dataset + NAMESPACE_SEPARATOR + id;
    }

    /**
     * Whether a data set's name can prefix its clients' ids: ASCII letters, digits and {@code . _ -}, starting with a
     * letter or a digit, as an id does.
     */
    public static boolean isNamespace(String dataset) {
        return dataset != null && !dataset.isEmpty() && asciiLetterOrDigit(dataset.charAt(0))
                && dataset.chars().allMatch(c -> asciiLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
    }

    private static boolean asciiLetterOrDigit(int c) {
        return c < 128 && Character.isLetterOrDigit(c);
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
