package io.misalignstream.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.contracts.Topics;
import io.misalignstream.devstack.DevStackOptions;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml against the services' images, ports and variables, Topics.all() and the Prometheus config. */
class ComposeTest {

    private static final Pattern CREATE_TOPIC = Pattern.compile(
            "kafka-topics\\.sh .*--create .*--topic (\\S+) --partitions (\\d+) --replication-factor \\d+( --config cleanup\\.policy=compact)?");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z_]+)(:?[-?])?([^}]*)}");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() {
        Map<String, Object> compose = new Yaml().load(ProjectFiles.read(ProjectFiles.path("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void theServicesRunTheirImagesOnTheirPortsWithVariablesTheyRead() {
        for (String name : ProjectFiles.SERVICES) {
            Map<String, Object> service = services.get(name);
            assertThat(service).as(name).isNotNull();
            Properties properties = ProjectFiles.applicationProperties(name);
            String image = properties.getProperty("quarkus.container-image.group") + "/" + properties.getProperty("quarkus.container-image.name");
            assertThat((String) service.get("image")).as(name).startsWith(image + ":");
            int port = ProjectFiles.httpPort(name);
            assertThat((List<String>) service.get("ports")).as(name).containsExactly(port + ":" + port);
            Map<String, Object> environment = environment(service);
            ServiceEnvironment reads = ServiceEnvironment.of(name);
            assertThat(environment.keySet()).as(name).allSatisfy(variable ->
                    assertThat(reads.reads(variable)).as(name + " reads " + variable).isTrue());
            assertThat(environment).as(name).containsKey("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(service).as(name + " waits for its topics").containsKey("depends_on");
            assertThat(ServiceEnvironment.seconds(String.valueOf(service.get("stop_grace_period"))))
                    .as(name + ": stopped without SIGKILL while it drains").isGreaterThanOrEqualTo(ServiceEnvironment.defaultDrainSeconds() + 15);
        }
    }

    @Test
    void keysAndPasswordsComeFromTheEnvFileAndAreRequired() {
        services.forEach((name, service) -> environment(service).forEach((variable, value) -> {
            if (variable.contains("PASSWORD") || variable.contains("API_KEY")) {
                Matcher interpolation = INTERPOLATION.matcher(String.valueOf(value));
                assertThat(interpolation.matches()).as(name + " " + variable + " is ${...} from .env, never a value").isTrue();
                assertThat(interpolation.group(1)).isEqualTo(variable.startsWith("GF_") ? "GRAFANA_ADMIN_PASSWORD" : variable);
                assertThat(interpolation.group(2)).as(name + " " + variable + ": required, no default").isEqualTo(":?");
            }
        }));
        assertThat(ProjectFiles.read(ProjectFiles.path(".gitignore")).lines()).contains(".env");
        assertThat(Files.exists(ProjectFiles.path(".env"))).as("no .env in the project").isFalse();
    }

    @Test
    void theTopicContainerCreatesEveryTopicWithThePartitionsAndCompaction() {
        @SuppressWarnings("unchecked")
        String script = String.join("\n", (List<String>) services.get("topics").get("command"));
        Map<String, Boolean> created = new HashMap<>();
        Matcher create = CREATE_TOPIC.matcher(script);
        while (create.find()) {
            assertThat(Integer.parseInt(create.group(2))).as(create.group(1)).isEqualTo(DevStackOptions.DEFAULT_PARTITIONS);
            assertThat(created.put(create.group(1), create.group(3) != null)).as(create.group(1) + " once").isNull();
        }
        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(Topics.all());
        created.forEach((topic, compacted) ->
                assertThat(compacted).as(topic + " compacted").isEqualTo("compact".equals(Topics.configOf(topic).get("cleanup.policy"))));
        assertThat(script.lines().filter(line -> line.contains("kafka-topics.sh")).count()).isEqualTo(Topics.all().size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryServiceAndGrafanaGetsTheDashboards() {
        Map<String, Object> prometheus = new Yaml().load(ProjectFiles.read(ProjectFiles.path("deploy/compose/prometheus.yml")));
        Map<String, String> targets = new HashMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) prometheus.get("scrape_configs")) {
            assertThat(job.get("metrics_path")).isEqualTo("/q/metrics");
            List<Map<String, Object>> staticConfigs = (List<Map<String, Object>>) job.get("static_configs");
            targets.put((String) job.get("job_name"), ((List<String>) staticConfigs.get(0).get("targets")).get(0));
        }
        Map<String, String> expected = new HashMap<>();
        ProjectFiles.SERVICES.forEach(service -> expected.put(service, service + ":" + ProjectFiles.httpPort(service)));
        assertThat(targets).as("job = service name, as the dashboards group by job").isEqualTo(expected);
        assertThat((List<String>) services.get("prometheus").get("volumes")).contains("./deploy/compose/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        assertThat((List<String>) services.get("grafana").get("volumes"))
                .contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro", "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
        for (String volume : Set.of("deploy/grafana/dashboards", "deploy/grafana/provisioning", "deploy/compose/postgres-init")) {
            assertThat(ProjectFiles.path(volume)).isDirectory();
        }
    }

    @Test
    void theModelServerIsOnlyInTheLlmProfile() {
        assertThat(services.get("ollama").get("profiles")).isEqualTo(List.of("llm"));
        assertThat(services).allSatisfy((name, service) -> {
            if (ProjectFiles.SERVICES.contains(name)) {
                assertThat(service).as(name + " always runs").doesNotContainKey("profiles");
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("environment", Map.of());
    }
}
