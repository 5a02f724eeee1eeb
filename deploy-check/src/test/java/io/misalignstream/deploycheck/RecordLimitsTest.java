package io.misalignstream.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.misalignstream.contracts.event.EventLimits;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * One record limit everywhere: every service's producers and every broker (docker-compose, deploy/) take a record of
 * {@code EventLimits.MAX_RECORD_BYTES}, from {@code EventLimits.KAFKA_MAX_MESSAGE_BYTES}; no channel sets its own. The
 * devstack's broker reads the constant itself.
 */
class RecordLimitsTest {

    private static final String LIMIT = String.valueOf(EventLimits.KAFKA_MAX_MESSAGE_BYTES);

    @Test
    void everyServiceProducesRecordsUpToTheLimitAndNoChannelSetsItsOwn() {
        for (String service : ProjectFiles.SERVICES) {
            Properties properties = ProjectFiles.applicationProperties(service);
            assertThat(properties.getProperty("kafka.max.request.size")).as(service).isEqualTo(LIMIT);
            assertThat(properties.stringPropertyNames()).as(service)
                    .filteredOn(key -> key.endsWith("max.request.size") || key.endsWith("message.max.bytes"))
                    .containsExactly("kafka.max.request.size");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeBrokerTakesRecordsUpToTheLimit() {
        Map<String, Object> compose = new Yaml().load(ProjectFiles.read(ProjectFiles.path("docker-compose.yml")));
        Map<String, Object> kafka = ((Map<String, Map<String, Object>>) compose.get("services")).get("kafka");
        Map<String, Object> environment = (Map<String, Object>) kafka.get("environment");
        assertThat(String.valueOf(environment.get("KAFKA_MESSAGE_MAX_BYTES"))).isEqualTo(LIMIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theKubernetesBrokerTakesRecordsUpToTheLimit(String overlay) {
        GenericKubernetesResource kafka = ManifestsTest.Overlay.build(overlay).custom("Kafka").get(0);
        Map<String, Object> config = kafka.get("spec", "kafka", "config");
        assertThat(String.valueOf(config.get("message.max.bytes"))).isEqualTo(LIMIT);
    }
}
