package io.misalignstream.classifier.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.apikeys.ApiKeys;
import io.misalignstream.classifier.config.FrontDoorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ApiKeysProducerTest {

    @Test
    void anEmptyEnvironmentVariableMeansNoKeyAndDefaultsApply() {
        FrontDoorConfig empty = config(Map.of("MISALIGN_API_KEYS", ""));
        FrontDoorConfig unset = config(Map.of());
        FrontDoorConfig two = config(Map.of("MISALIGN_API_KEYS", "alpha,beta"));

        assertThat(empty.apiKeys()).isEmpty();
        assertThat(new ApiKeysProducer().apiKeys(empty).configured()).isFalse();
        assertThat(unset.apiKeys()).isEmpty();
        assertThat(two.apiKeys()).contains(List.of("alpha", "beta"));
        assertThat(new ApiKeysProducer().apiKeys(two).accepts("beta")).isTrue();
        assertThat(unset.maxRequestBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(unset.maxPrompts()).isEqualTo(10_000);
        assertThat(unset.publishTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void warnsAtStartUpOnlyWhenClosed() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ApiKeysProducer.class.getName());
        logger.addHandler(capture);
        try {
            ApiKeysProducer.warnWhenClosed(new ApiKeys(List.of("a-key")));
            assertThat(records).isEmpty();

            ApiKeysProducer.warnWhenClosed(new ApiKeys(List.of()));
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.getLevel().intValue()).isEqualTo(Level.WARNING.intValue());
                assertThat(record.getMessage()).contains("POST /prompts is closed").contains("MISALIGN_API_KEYS");
            });
        } finally {
            logger.removeHandler(capture);
        }
    }

    /** The mapping as application.properties wires it, with the given environment. */
    private static FrontDoorConfig config(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new MapBackedConfigSource("application.properties", Map.of("front-door.api-keys", "${MISALIGN_API_KEYS:}"), 100) {
                })
                .withSources(new MapBackedConfigSource("environment", environment, 300) {
                })
                // Quarkus' reading of "30s"; plain SmallRye only knows ISO-8601 durations
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(FrontDoorConfig.class)
                .build();
        return config.getConfigMapping(FrontDoorConfig.class);
    }
}
