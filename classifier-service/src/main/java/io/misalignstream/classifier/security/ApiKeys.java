package io.misalignstream.classifier.security;

import io.misalignstream.classifier.config.FrontDoorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The API keys the service accepts ({@code front-door.api-keys}). Only their SHA-256 digests are kept, and a
 * presented key is compared by digest in constant time, so neither a key's content nor its length shows in the
 * time an answer takes. No key configured: nothing is accepted.
 */
@Singleton
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final List<byte[]> digests;

    @Inject
    public ApiKeys(FrontDoorConfig config) {
        this(config.apiKeys().orElse(List.of()));
    }

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

    void warnWhenClosed(@Observes StartupEvent started) {
        if (!configured()) {
            LOG.warn("POST /prompts is closed: no API key is configured, so every request is refused with 401 until MISALIGN_API_KEYS is set");
        }
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
