package io.misalignstream.apikeys;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** The API keys every service's REST API accepts: {@code misalign.api-keys}, from {@code MISALIGN_API_KEYS} in the environment. */
@ConfigMapping(prefix = "misalign")
public interface ApiKeysConfig {

    /**
     * Keys accepted in the {@code X-API-Key} header, comma-separated. Absent or empty (an empty variable included):
     * every request is refused with 401.
     */
    Optional<List<String>> apiKeys();
}
