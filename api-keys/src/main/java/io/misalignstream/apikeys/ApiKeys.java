package io.misalignstream.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The API keys a service accepts in the {@value #HEADER} header. Only their SHA-256 digests are kept, and a presented
 * key is compared by digest in constant time, so neither a key's content nor its length shows in the time an answer
 * takes. No key configured: nothing is accepted.
 */
public final class ApiKeys {

    /** The request header that carries the key. */
    public static final String HEADER = "X-API-Key";

    /** The {@code WWW-Authenticate} challenge of a refused request. */
    public static final String CHALLENGE = "ApiKey realm=\"misalign-stream\", header=\"" + HEADER + "\"";

    /** What a refused request is told: never whether the key was missing, wrong, or none is configured. */
    public static final String REFUSAL = "a valid API key is required in the " + HEADER + " header";

    private final List<byte[]> digests;

    /** Blank entries are ignored, the others stripped: a list read from a comma-separated variable. */
    public ApiKeys(List<String> keys) {
        this.digests = keys.stream().map(String::strip).filter(key -> !key.isEmpty()).map(ApiKeys::digest).toList();
    }

    public boolean configured() {
        return !digests.isEmpty();
    }

    public boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = digest(presented);
        boolean match = false;
        // Every key is compared, a match or not, so the time does not tell which key (or whether one) matched.
        for (byte[] accepted : digests) {
            match |= MessageDigest.isEqual(accepted, digest);
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
