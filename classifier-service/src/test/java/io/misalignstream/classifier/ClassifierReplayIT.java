package io.misalignstream.classifier;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.misalignstream.classifier.ClassifierTopics.Outputs;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as a process: killed with SIGKILL mid-stream and started again, it loses nothing;
 * then the whole history is relabelled by a second deployment with a new consumer group and another backend
 * (docs/operations.md, "Relabel the history"), its records tagged with the new provenance.
 */
class ClassifierReplayIT {

    private static final String RELABEL_GROUP = "classifier-relabel-openai";
    private static final String ANSWER = """
            {"safety":[{"domain":"privacy_violation","probability":0.8}],"value":[],"cultural":[],"semanticType":"relation"}""";

    private static DevStack devStack;
    private static WireMockServer endpoint;

    @BeforeAll
    static void startServers() {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
        endpoint = new WireMockServer(options().dynamicPort());
        endpoint.start();
        endpoint.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).willReturn(OpenAiEndpointStub.completion(ANSWER)));
    }

    @AfterAll
    static void stopServers() {
        if (endpoint != null) {
            endpoint.stop();
        }
        if (devStack != null) {
            devStack.close();
        }
    }

    @Test
    void losesNothingWhenKilledAndRelabelsTheHistoryUnderANewGroup() throws Exception {
        List<IngestedPrompt> prompts = IntStream.range(0, 600)
                .mapToObj(i -> ClassifierTopics.ingested("replay-" + i, "Question number " + i + ": how should I store fresh herbs so they last longer?"))
                .toList();
        Set<String> ids = prompts.stream().map(prompt -> prompt.prompt().id()).collect(Collectors.toSet());
        String bootstrap = devStack.endpoints().kafkaBootstrapServers();
        try (ClassifierTopics topics = new ClassifierTopics(bootstrap)) {
            try (ServiceProcess first = start("embedded", Map.of())) {
                topics.sendAll(prompts);
                await().atMost(Duration.ofSeconds(120)).until(() -> topics.read().classified().size() >= 50);
                first.kill();
            }
            try (ServiceProcess restarted = start("embedded-restarted", Map.of())) {
                await().atMost(Duration.ofSeconds(180)).until(() -> topics.read().classified().keySet().containsAll(ids));
            }
            Outputs afterCrash = topics.read();
            assertThat(afterCrash.deadLetters()).isEmpty();
            assertThat(afterCrash.classified().values()).allSatisfy(records ->
                    assertThat(records).extracting(record -> record.labels().provenance().backend()).containsOnly("embedded"));

            Map<String, String> relabel = Map.of("CLASSIFIER_GROUP_ID", RELABEL_GROUP, "CLASSIFIER_BACKEND", "openai",
                    "CLASSIFIER_OPENAI_BASE_URL", endpoint.baseUrl() + "/v1", "CLASSIFIER_OPENAI_MODEL", "relabel-model");
            try (ServiceProcess relabeller = start("relabel", relabel)) {
                await().atMost(Duration.ofSeconds(180)).until(() -> relabelled(topics.read()).keySet().containsAll(ids));
            }
            Map<String, List<ClassifiedPrompt>> relabelled = relabelled(topics.read());
            assertThat(relabelled.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(relabelled.values()).allSatisfy(records -> {
                assertThat(records).hasSize(1);
                assertThat(records.get(0).labels().provenance().model()).isEqualTo("relabel-model");
                assertThat(records.get(0).labels().provenance().templateVersion()).isEqualTo("classify-v1");
                assertThat(records.get(0).labels().safety().primary()).isEqualTo("privacy_violation");
            });
        }
    }

    /** The records the relabelling deployment wrote, by prompt id. */
    private static Map<String, List<ClassifiedPrompt>> relabelled(Outputs outputs) {
        Map<String, List<ClassifiedPrompt>> relabelled = new HashMap<>();
        outputs.classified().forEach((id, records) -> records.stream()
                .filter(record -> "openai".equals(record.labels().provenance().backend()))
                .forEach(record -> relabelled.computeIfAbsent(id, key -> new java.util.ArrayList<>()).add(record)));
        return relabelled;
    }

    private static ServiceProcess start(String name, Map<String, String> environment) throws Exception {
        ServiceProcess instance = ServiceProcess.start(Path.of("target", "quarkus-app", "quarkus-run.jar"), "classifier-" + name, devStack, environment);
        instance.awaitReady(Duration.ofSeconds(90));
        return instance;
    }
}
