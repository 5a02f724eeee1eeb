package io.misalignstream.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.misalignstream.contracts.Topics;
import io.misalignstream.devstack.DevStackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each overlay, composed as kustomize would, against the services' configuration, Topics and the dashboards folder. */
class ManifestsTest {

    private static final String SECRET = "misalign-secrets";
    private static final Set<String> WITHOUT_FABRIC8_MODEL = Set.of("Kafka", "KafkaNodePool", "KafkaTopic", "ScaledObject", "PodMonitor", "PrometheusRule");

    record Overlay(String name, List<HasMetadata> objects) {

        static Overlay build(String name) {
            List<HasMetadata> objects = Kustomize.build(ProjectFiles.path("deploy/overlays/" + name)).stream()
                    .map(map -> (HasMetadata) Serialization.unmarshal(Serialization.asJson(map)))
                    .toList();
            return new Overlay(name, objects);
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> found = all(type).stream().filter(object -> object.getMetadata().getName().equals(name)).toList();
            assertThat(found).as(this.name + ": " + type.getSimpleName() + " " + name).hasSize(1);
            return found.get(0);
        }

        List<GenericKubernetesResource> custom(String kind) {
            return all(GenericKubernetesResource.class).stream().filter(object -> object.getKind().equals(kind)).toList();
        }

        String namespace() {
            return all(Namespace.class).get(0).getMetadata().getName();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectParsesIntoItsTypedModelAndEveryObjectIsInTheNamespace(String overlay) {
        Overlay built = Overlay.build(overlay);
        assertThat(built.objects()).allSatisfy(object -> {
            if (WITHOUT_FABRIC8_MODEL.contains(object.getKind())) {
                assertThat(object).isInstanceOf(GenericKubernetesResource.class);
            } else {
                assertThat(object).as(object.getKind() + " " + object.getMetadata().getName()).isNotInstanceOf(GenericKubernetesResource.class);
            }
        });
        assertThat(built.all(Namespace.class)).hasSize(1);
        assertThat(built.objects()).filteredOn(object -> !(object instanceof Namespace))
                .allSatisfy(object -> assertThat(object.getMetadata().getNamespace()).isEqualTo(built.namespace()));
        assertThat(built.objects()).extracting(HasMetadata::getKind).as("no Secret is committed").doesNotContain("Secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachDeploymentRunsItsServiceAsItIsConfigured(String overlay) {
        Overlay built = Overlay.build(overlay);
        for (String service : ProjectFiles.SERVICES) {
            Properties properties = ProjectFiles.applicationProperties(service);
            int port = ProjectFiles.httpPort(service);
            Deployment deployment = built.one(Deployment.class, service);
            var pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getContainers()).hasSize(1);
            Container container = pod.getContainers().get(0);
            String image = properties.getProperty("quarkus.container-image.group") + "/" + properties.getProperty("quarkus.container-image.name");
            assertThat(container.getImage()).as(service).matches("([^/]+/)?" + image + ":[^:]+");
            assertThat(container.getPorts()).singleElement().satisfies(containerPort -> {
                assertThat(containerPort.getName()).isEqualTo("http");
                assertThat(containerPort.getContainerPort()).as(service + " port").isEqualTo(port);
            });
            assertProbe(container.getReadinessProbe(), "/q/health/ready", service);
            assertProbe(container.getLivenessProbe(), "/q/health/live", service);
            assertProbe(container.getStartupProbe(), "/q/health/started", service);
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKeys("memory");
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as("the image's user")
                    .isEqualTo(Long.parseLong(properties.getProperty("quarkus.jib.user")));
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            // draining: the pod is not killed before preStop, the drain and the connector's close are over
            String drain = built.one(ConfigMap.class, service).getData().get("MISALIGN_SHUTDOWN_DRAIN_TIMEOUT");
            long drainSeconds = drain == null ? ServiceEnvironment.defaultDrainSeconds() : ServiceEnvironment.seconds(drain);
            List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
            assertThat(preStop).as(service).hasSize(2).startsWith("sleep");
            assertThat(pod.getTerminationGracePeriodSeconds()).as(service + ": preStop + drain + 15 s")
                    .isGreaterThanOrEqualTo(Long.parseLong(preStop.get(1)) + drainSeconds + 15);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/port", String.valueOf(port)).containsEntry("prometheus.io/path", "/q/metrics");
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/name", service).containsEntry("app.kubernetes.io/part-of", "misalign-stream");

            Service kubernetesService = built.one(Service.class, service);
            assertThat(kubernetesService.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(kubernetesService.getSpec().getPorts()).singleElement().satisfies(servicePort -> {
                assertThat(servicePort.getPort()).isEqualTo(port);
                assertThat(servicePort.getTargetPort().getStrVal()).isEqualTo("http");
            });
            PodDisruptionBudget budget = built.one(PodDisruptionBudget.class, service);
            assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyVariableADeploymentSetsIsOneItsServiceReadsAndSecretsComeFromTheSecret(String overlay) {
        Overlay built = Overlay.build(overlay);
        for (String service : ProjectFiles.SERVICES) {
            ServiceEnvironment reads = ServiceEnvironment.of(service);
            Container container = built.one(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> variables = new HashSet<>();
            container.getEnvFrom().forEach(source -> {
                assertThat(source.getConfigMapRef()).as(service + " envFrom").isNotNull();
                variables.addAll(built.one(ConfigMap.class, source.getConfigMapRef().getName()).getData().keySet());
            });
            for (EnvVar variable : container.getEnv()) {
                variables.add(variable.getName());
                assertThat(variable.getValue()).as(service + " " + variable.getName() + ": from the Secret, not a value").isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET);
                assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(variable.getName());
            }
            assertThat(variables).as(service).allSatisfy(variable ->
                    assertThat(reads.reads(variable)).as(service + " reads " + variable).isTrue());
            assertThat(variables).as(service).contains("KAFKA_BOOTSTRAP_SERVERS");
            for (String secret : List.of("MISALIGN_API_KEYS", "POSTGRES_PASSWORD")) {
                if (reads.reads(secret)) {
                    assertThat(container.getEnv()).as(service + " gets " + secret).extracting(EnvVar::getName).contains(secret);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theTopicsAreThoseOfTopicsAllWithTheirPartitionsAndCompaction(String overlay) {
        Overlay built = Overlay.build(overlay);
        GenericKubernetesResource kafka = built.custom("Kafka").get(0);
        List<GenericKubernetesResource> topics = built.custom("KafkaTopic");
        assertThat(topics).extracting(topic -> (String) topic.get("spec", "topicName"))
                .containsExactlyInAnyOrderElementsOf(Topics.all());
        int brokers = ((Number) built.custom("KafkaNodePool").get(0).get("spec", "replicas")).intValue();
        for (GenericKubernetesResource topic : topics) {
            String name = topic.get("spec", "topicName");
            assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
            assertThat(((Number) topic.get("spec", "partitions")).intValue()).as(name).isEqualTo(DevStackOptions.DEFAULT_PARTITIONS);
            assertThat(((Number) topic.get("spec", "replicas")).intValue()).as(name + " replicas").isBetween(1, brokers);
            Map<String, Object> config = topic.get("spec", "config");
            String policy = String.valueOf(config.getOrDefault("cleanup.policy", "delete"));
            assertThat(policy).as(name + " cleanup.policy").isEqualTo(Topics.configOf(name).getOrDefault("cleanup.policy", "delete"));
            if (!Topics.COMPACTED.contains(name)) {
                assertThat(config).as(name + " retention").containsKey("retention.ms");
            }
        }
        assertThat(kafka.getMetadata().getAnnotations()).containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
        assertThat((List<String>) built.custom("KafkaNodePool").get(0).get("spec", "roles")).containsExactlyInAnyOrder("controller", "broker");
        Map<String, Object> config = kafka.get("spec", "kafka", "config");
        assertThat(((Number) config.get("min.insync.replicas")).intValue()).isLessThanOrEqualTo(brokers);
        assertThat(((Number) config.get("offsets.topic.replication.factor")).intValue()).isLessThanOrEqualTo(brokers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void keda_scalesEachStageOnItsInputChannelsConsumerGroupWithinThePartitions(String overlay) {
        Overlay built = Overlay.build(overlay);
        String bootstrap = built.custom("Kafka").get(0).getMetadata().getName() + "-kafka-bootstrap." + built.namespace() + ".svc:9092";
        List<GenericKubernetesResource> scaledObjects = built.custom("ScaledObject");
        for (String service : ProjectFiles.SERVICES) {
            List<GenericKubernetesResource> scaling = scaledObjects.stream()
                    .filter(object -> service.equals(object.get("spec", "scaleTargetRef", "name"))).toList();
            Deployment deployment = built.one(Deployment.class, service);
            if (service.equals("evaluator-service")) {
                assertThat(scaling).as("the evaluator runs on one replica").isEmpty();
                assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
                assertThat(deployment.getSpec().getStrategy().getType()).as("never two evaluators, even in a rollout").isEqualTo("Recreate");
                continue;
            }
            assertThat(scaling).as(service).hasSize(1);
            GenericKubernetesResource scaledObject = scaling.get(0);
            assertThat(((Number) scaledObject.get("spec", "maxReplicaCount")).intValue()).isBetween(1, DevStackOptions.DEFAULT_PARTITIONS);
            List<Map<String, Object>> triggers = scaledObject.get("spec", "triggers");
            Set<String> scaledOn = triggers.stream().map(trigger -> {
                assertThat(trigger.get("type")).isEqualTo("kafka");
                @SuppressWarnings("unchecked")
                Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
                assertThat(metadata.get("bootstrapServers")).as("KEDA runs in its own namespace").isEqualTo(bootstrap);
                return metadata.get("consumerGroup") + "@" + metadata.get("topic");
            }).collect(Collectors.toSet());
            Set<String> channels = IncomingChannel.of(service).stream().map(channel -> channel.groupId() + "@" + channel.topic())
                    .collect(Collectors.toSet());
            assertThat(scaledOn).as(service + ": every trigger a real input channel, every input channel a trigger").isEqualTo(channels);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void prometheusScrapesTheServicesAndGrafanaGetsEveryDashboard(String overlay) throws Exception {
        Overlay built = Overlay.build(overlay);
        GenericKubernetesResource podMonitor = built.custom("PodMonitor").get(0);
        Map<String, String> selector = podMonitor.get("spec", "selector", "matchLabels");
        for (String service : ProjectFiles.SERVICES) {
            assertThat(built.one(Deployment.class, service).getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
        }
        List<Map<String, Object>> endpoints = podMonitor.get("spec", "podMetricsEndpoints");
        assertThat(endpoints).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.get("port")).isEqualTo("http");
            assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
        });
        Set<String> dashboards;
        try (Stream<Path> files = Files.list(Dashboards.FOLDER)) {
            dashboards = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json")).collect(Collectors.toSet());
        }
        assertThat(built.one(ConfigMap.class, "misalign-grafana-dashboards").getData().keySet()).isEqualTo(dashboards);
        assertThat(built.all(NetworkPolicy.class)).extracting(policy -> policy.getMetadata().getName()).contains("default-deny-ingress");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev"})
    void devRunsItsOwnStoresWhereTheServicesLookForThem(String overlay) {
        Overlay built = Overlay.build(overlay);
        Set<String> services = built.all(Service.class).stream().map(service -> service.getMetadata().getName()).collect(Collectors.toSet());
        assertThat(built.all(StatefulSet.class)).extracting(set -> set.getMetadata().getName()).contains("redis", "postgres");
        for (ConfigMap config : built.all(ConfigMap.class)) {
            String redis = config.getData().get("REDIS_URL");
            if (redis != null) {
                assertThat(services).contains(java.net.URI.create(redis).getHost());
            }
            String postgres = config.getData().get("POSTGRES_URL");
            if (postgres != null) {
                assertThat(services).contains(java.net.URI.create(postgres).getHost());
            }
        }
        // Redis roles: the state never evicted and persisted, the caches bounded and evicted least recently used first
        for (String stateful : List.of("dedup-service", "expander-service")) {
            assertThat(redisArguments(built, stateful)).as(stateful).containsSubsequence("--maxmemory-policy", "noeviction")
                    .containsSubsequence("--appendonly", "yes");
        }
        for (String caching : List.of("sampler-service", "evaluator-service")) {
            assertThat(redisArguments(built, caching)).as(caching).containsSubsequence("--maxmemory-policy", "allkeys-lru")
                    .contains("--maxmemory");
        }
        assertThat(built.one(StatefulSet.class, "postgres").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(variable -> variable.getName().equals("POSTGRES_PASSWORD"))
                .singleElement().satisfies(variable -> assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET));
    }

    /** The arguments of the Redis a service's REDIS_URL names (a StatefulSet or a Deployment of the Service's name). */
    private static List<String> redisArguments(Overlay built, String service) {
        String host = java.net.URI.create(built.one(ConfigMap.class, service).getData().get("REDIS_URL")).getHost();
        List<Container> containers = built.all(StatefulSet.class).stream().filter(set -> set.getMetadata().getName().equals(host))
                .map(set -> set.getSpec().getTemplate().getSpec().getContainers()).findFirst()
                .orElseGet(() -> built.one(Deployment.class, host).getSpec().getTemplate().getSpec().getContainers());
        return containers.get(0).getArgs();
    }

    private static void assertProbe(Probe probe, String path, String service) {
        assertThat(probe).as(service + " " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(service).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(service + " probe port").isEqualTo("http");
    }
}
