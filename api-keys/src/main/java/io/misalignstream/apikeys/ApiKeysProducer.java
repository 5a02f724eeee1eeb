package io.misalignstream.apikeys;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/** The keys of {@code misalign.api-keys} for the {@link ApiKeyFilter}, and a warning at start-up when there are none. */
@ApplicationScoped
public class ApiKeysProducer {

    private static final Logger LOG = Logger.getLogger(ApiKeysProducer.class);

    @Produces
    @Singleton
    ApiKeys apiKeys(ApiKeysConfig config) {
        return new ApiKeys(config.apiKeys().orElse(List.of()));
    }

    void warnWhenClosed(@Observes StartupEvent started, ApiKeys keys) {
        warnWhenClosed(keys);
    }

    static void warnWhenClosed(ApiKeys keys) {
        if (!keys.configured()) {
            LOG.warn("the REST API is closed: no API key is configured, so every request is refused with 401 until MISALIGN_API_KEYS is set");
        }
    }
}
