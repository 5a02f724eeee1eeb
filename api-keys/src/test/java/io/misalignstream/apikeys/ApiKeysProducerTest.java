package io.misalignstream.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.EnvConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ApiKeysProducerTest {

    @Test
    void anEmptyEnvironmentVariableMeansNoKey() {
        ApiKeysConfig empty = config(Map.of("MISALIGN_API_KEYS", ""));
        ApiKeysConfig unset = config(Map.of());
        ApiKeysConfig two = config(Map.of("MISALIGN_API_KEYS", "alpha,beta"));

        assertThat(empty.apiKeys()).isEmpty();
        assertThat(new ApiKeysProducer().apiKeys(empty).configured()).isFalse();
        assertThat(unset.apiKeys()).isEmpty();
        assertThat(two.apiKeys()).contains(List.of("alpha", "beta"));
        assertThat(new ApiKeysProducer().apiKeys(two).accepts("beta")).isTrue();
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
                assertThat(record.getMessage()).contains("the REST API is closed").contains("MISALIGN_API_KEYS");
            });
        } finally {
            logger.removeHandler(capture);
        }
    }

    /** The mapping with the given environment, read as Quarkus reads environment variables. */
    private static ApiKeysConfig config(Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new EnvConfigSource(environment, 300) {
                })
                .withMapping(ApiKeysConfig.class)
                .build();
        return config.getConfigMapping(ApiKeysConfig.class);
    }
}
