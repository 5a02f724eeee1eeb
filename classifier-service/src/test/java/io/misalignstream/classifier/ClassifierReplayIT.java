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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
            try (Instance first = Instance.start("embedded", Map.of())) {
                first.awaitReady();
                topics.sendAll(prompts);
                await().atMost(Duration.ofSeconds(120)).until(() -> topics.read().classified().size() >= 50);
                first.kill();
            }
            try (Instance restarted = Instance.start("embedded-restarted", Map.of())) {
                restarted.awaitReady();
                await().atMost(Duration.ofSeconds(180)).until(() -> topics.read().classified().keySet().containsAll(ids));
            }
            Outputs afterCrash = topics.read();
            assertThat(afterCrash.deadLetters()).isEmpty();
            assertThat(afterCrash.classified().values()).allSatisfy(records ->
                    assertThat(records).extracting(record -> record.labels().provenance().backend()).containsOnly("embedded"));

            Map<String, String> relabel = Map.of("CLASSIFIER_GROUP_ID", RELABEL_GROUP, "CLASSIFIER_BACKEND", "openai",
                    "CLASSIFIER_OPENAI_BASE_URL", endpoint.baseUrl() + "/v1", "CLASSIFIER_OPENAI_MODEL", "relabel-model");
            try (Instance relabeller = Instance.start("relabel", relabel)) {
                relabeller.awaitReady();
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

    private static final class Instance implements AutoCloseable {

        private final Process process;
        private final int port;
        private final Path log;

        private Instance(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static Instance start(String name, Map<String, String> environment) throws IOException {
            Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
            assertThat(jar).as("the packaged service (mvn package)").exists();
            int port = freePort();
            // beside the build output, for reading after a failure
            Path log = Files.createTempFile(Path.of("target"), "classifier-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(devStack.endpoints().environment());
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("LOG_JSON", "false");
            return new Instance(builder.start(), port, log);
        }

        void awaitReady() {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .failFast("instance exited: " + logTail(), () -> !process.isAlive())
                    .until(this::ready);
        }

        private boolean ready() throws InterruptedException {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notListeningYet) {
                return false;
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no offset commit
            process.waitFor();
        }

        private String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
