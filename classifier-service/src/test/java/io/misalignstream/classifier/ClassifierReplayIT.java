package io.misalignstream.classifier;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service as a process: killed with SIGKILL mid-stream and started again, it loses nothing;
 * then the whole history is relabelled by a second deployment with a new consumer group and another backend
 * (docs/operations.md, "Relabel the history"), its records tagged with the new provenance. Stopped with SIGTERM
 * (a KEDA scale-in, a rolling update) while a slow LLM endpoint labels a batch, it finishes the batch, commits and
 * exits, so the replica after it asks the endpoint nothing again; a batch abandoned at the stop would be re-delivered
 * and paid twice.
 */
class ClassifierReplayIT {

    private static final String RELABEL_GROUP = "classifier-relabel-openai";
    private static final String ANSWER = """
            {"safety":[{"domain":"privacy_violation","probability":0.8}],"value":[],"cultural":[],"semanticType":"relation"}""";

    // what the drain test's prompts are answered with, after a delay: they are still being labelled when the stop comes
    private static final String DRAIN_MODEL = "drain-model";
    private static final int PROMPTS = 24;
    private static final int CONCURRENCY = 3;
    private static final int LATENCY_MILLIS = 1_000;

    private static DevStack devStack;
    private static WireMockServer endpoint;

    @BeforeAll
    static void startServers() {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
        endpoint = new WireMockServer(options().dynamicPort());
        endpoint.start();
        endpoint.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).willReturn(OpenAiEndpointStub.completion(ANSWER)));
        endpoint.stubFor(post(urlEqualTo(OpenAiEndpointStub.PATH)).withRequestBody(containing(DRAIN_MODEL)).atPriority(1)
                .willReturn(OpenAiEndpointStub.completion(ANSWER).withFixedDelay(LATENCY_MILLIS)));
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
            assertThat(afterCrash.classified().entrySet().stream().filter(entry -> ids.contains(entry.getKey())).map(Map.Entry::getValue))
                    .allSatisfy(records ->
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

    @Test
    void aReplicaStoppedMidBatchFinishesItSoThatNoPromptIsAskedTwice() throws Exception {
        // a batch of 24 at 3 in flight and 1 s each: about 8 s of labelling, longer than the connector's own 5 s grace
        List<IngestedPrompt> prompts = IntStream.range(0, PROMPTS)
                .mapToObj(i -> ClassifierTopics.ingested("drain-" + i, String.format("Drain probe %02d: where does the person in flat %d live?", i, i)))
                .toList();
        Map<String, String> environment = Map.of("CLASSIFIER_BACKEND", "openai", "CLASSIFIER_OPENAI_BASE_URL", endpoint.baseUrl() + "/v1",
                "CLASSIFIER_OPENAI_MODEL", DRAIN_MODEL, "CLASSIFIER_OPENAI_MAX_CONCURRENCY", String.valueOf(CONCURRENCY),
                "MISALIGN_SHUTDOWN_DRAIN_TIMEOUT", "60s");
        try (ClassifierTopics topics = new ClassifierTopics(devStack.endpoints().kafkaBootstrapServers())) {
            ServiceProcess first = start("drain-first", environment);
            Path firstLog;
            int askedBeforeTheStop;
            try {
                topics.sendAll(prompts);
                await().atMost(Duration.ofSeconds(60)).until(() -> drainRequests().size() >= CONCURRENCY);
                askedBeforeTheStop = drainRequests().size();
                firstLog = first.log();
            } finally {
                first.close(); // SIGTERM, then up to 20 s before SIGKILL
            }
            assertThat(askedBeforeTheStop).as("stopped while prompts were still to be asked").isLessThan(PROMPTS);
            assertThat(Files.readString(firstLog)).as("the stopping replica's log").contains("every started batch finished");

            try (ServiceProcess second = start("drain-second", environment)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> topics.read().classified().keySet().containsAll(
                        prompts.stream().map(prompt -> prompt.prompt().id()).toList()));
                Thread.sleep(3_000); // anything re-delivered to the second replica would be asked by now
            }
            Outputs outputs = topics.read();
            outputs.classified().forEach((id, records) -> {
                if (id.startsWith("drain-")) {
                    assertThat(records).as(id).hasSize(1);
                }
            });
        }
        Map<String, Integer> asked = new TreeMap<>();
        for (String body : drainRequests()) {
            for (int i = 0; i < PROMPTS; i++) {
                if (body.contains(String.format("Drain probe %02d:", i))) {
                    asked.merge(String.format("%02d", i), 1, Integer::sum);
                }
            }
        }
        assertThat(asked).as("LLM requests per prompt").hasSize(PROMPTS).allSatisfy((prompt, times) -> assertThat(times).as(prompt).isEqualTo(1));
    }

    /** The bodies of the requests of the drain test's replicas (the relabelling deployment may ask for its prompts too). */
    private static List<String> drainRequests() {
        return endpoint.getAllServeEvents().stream().map(event -> event.getRequest().getBodyAsString()).filter(body -> body.contains(DRAIN_MODEL)).toList();
    }

    /** The records the relabelling deployment wrote, by prompt id. */
    private static Map<String, List<ClassifiedPrompt>> relabelled(Outputs outputs) {
        Map<String, List<ClassifiedPrompt>> relabelled = new HashMap<>();
        outputs.classified().forEach((id, records) -> records.stream()
                .filter(record -> id.startsWith("replay-") && "relabel-model".equals(record.labels().provenance().model()))
                .forEach(record -> relabelled.computeIfAbsent(id, key -> new java.util.ArrayList<>()).add(record)));
        return relabelled;
    }

    private static ServiceProcess start(String name, Map<String, String> environment) throws Exception {
        ServiceProcess instance = ServiceProcess.start(Path.of("target", "quarkus-app", "quarkus-run.jar"), "classifier-" + name, devStack, environment);
        instance.awaitReady(Duration.ofSeconds(90));
        return instance;
    }
}
