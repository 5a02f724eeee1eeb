package io.misalignstream.e2e;

import static io.misalignstream.e2e.PipelineChecks.HOME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.Pipeline;
import io.misalignstream.devstack.Pipeline.Stage;
import io.misalignstream.devstack.TopicReader;
import io.misalignstream.openaistub.OpenAiStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole pipeline through the faults of its surroundings, one after the other while prompts stream in: the LLM
 * endpoints (the sampler's generator and judge, an evaluator target, on a WireMock stub) time out and answer 500, 429 and
 * malformed bodies for a while; the expander and the evaluator are killed ({@code kill -9}) and started again; Redis is
 * killed and comes back empty, the dedup index is rebuilt with {@code misalign dedup rebuild}; PostgreSQL is shut down
 * immediately (a crash) and started again. Once drained: every prompt in exactly one terminal place and no dead letter
 * (a fault of the surroundings is never a reason to give a prompt up), no unique prompt a near-duplicate of another
 * under the dedup rule, one dataset row per accepted prompt, and the evaluator's streaming run has every accepted
 * pair, each of its two responses judged once by each target.
 */
class PipelineFaultsTest {

    private static final String KEY = "e2e-faults-" + Long.toHexString(System.nanoTime());
    private static final Duration READY = Duration.ofMinutes(3);
    private static final Duration LLM_TIMEOUT = Duration.ofSeconds(2);
    private static final String STUB_TARGET = "stub";

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void nothingIsLostThroughEndpointFaultsKillsAndServerCrashes() throws Exception {
        List<IngestedPrompt> prompts = PipelineChecks.samplePrompts("e2e-faults", 3, 36);
        try (OpenAiStub llm = new OpenAiStub(false);
             DevStack devStack = DevStack.start(DevStackOptions.defaults().withPartitions(2).withEnvironment(Map.of()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, devStack.endpoints().kafkaBootstrapServers(),
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
             Pipeline pipeline = Pipeline.start(HOME, devStack, environment(llm), READY)) {
            String kafka = devStack.endpoints().kafkaBootstrapServers();
            PipelineChecks.send(producer, prompts.subList(0, 12));
            PipelineChecks.awaitRecords(kafka, Topics.PAIRS_ACCEPTED, 3, pipeline);

            // The LLM endpoints misbehave for a while; meanwhile the expander and the evaluator die and come back.
            llm.startFaults(LLM_TIMEOUT.multipliedBy(2));
            PipelineChecks.send(producer, prompts.subList(12, 20));
            pipeline.killAndRestart(Stage.EXPANDER, READY);
            pipeline.killAndRestart(Stage.EVALUATOR, READY);
            Thread.sleep(10_000);
            llm.stopFaults();
            assertThat(llm.faultsServed()).as("faults served").containsOnlyKeys(OpenAiStub.Fault.values())
                    .allSatisfy((fault, served) -> assertThat(served).as("%s", fault).isPositive());

            // Redis dies and comes back empty: the dedup service holds its stream until the index is rebuilt.
            devStack.crashAndRestart(DevStack.Server.REDIS, Duration.ofSeconds(2));
            PipelineChecks.send(producer, prompts.subList(20, 28));
            awaitReadiness(pipeline, Stage.DEDUP, 503);
            assertThat(PipelineChecks.misalign("dedup", "rebuild", "--bootstrap-servers", kafka, "--redis", devStack.endpoints().redisUrl(),
                    "--settle", "5")).as("misalign dedup rebuild").isZero();
            awaitReadiness(pipeline, Stage.DEDUP, 200);

            // PostgreSQL crashes while pairs are being stored and evaluated.
            PipelineChecks.send(producer, prompts.subList(28, prompts.size()));
            PipelineChecks.awaitRecords(kafka, Topics.PROMPTS_UNIQUE, PipelineChecks.count(kafka, Topics.PROMPTS_UNIQUE) + 2, pipeline);
            devStack.crashAndRestart(DevStack.Server.POSTGRES, Duration.ofSeconds(5));

            Set<String> ingested = PipelineChecks.ids(prompts);
            TerminalPlaces places = PipelineChecks.awaitDrained(kafka, ingested, pipeline);
            PipelineChecks.misalign("topics", "--bootstrap-servers", kafka); // records and lag per group, for the log
            PipelineChecks.assertEachInExactlyOnePlace(places, ingested);
            assertThat(places.deadLetters()).as("dead letters").isEmpty();
            assertThat(TopicReader.readAll(kafka, Topics.deadLetterOf(Topics.PAIRS_ACCEPTED))).as("pairs.accepted.dlq").isEmpty();
            PipelineChecks.assertNoTwoUniqueNearDuplicates(kafka);
            long rows = PipelineChecks.assertOneDatasetRowPerAcceptedPrompt(places, pipeline, KEY);

            // the streaming run: every accepted pair evaluated once by each target
            JsonNode run = PipelineChecks.awaitStreamingRun(pipeline, KEY, streaming -> streaming.get("pairs").asLong() == rows
                    && streaming.get("verdictsPerTarget").path(STUB_TARGET).asLong() == 2 * rows
                    && streaming.get("verdictsPerTarget").path("embedded-baseline").asLong() == 2 * rows);
            assertThat(run.get("pairs").asLong()).isEqualTo(rows);
            // a verdict per response: the aligned and the misaligned one
            assertThat(run.get("verdictsPerTarget").get(STUB_TARGET).asLong()).isEqualTo(2 * rows);
            assertThat(run.get("verdictsPerTarget").get("embedded-baseline").asLong()).isEqualTo(2 * rows);
        }
    }

    private static Map<Stage, Map<String, String>> environment(OpenAiStub llm) {
        Map<Stage, Map<String, String>> environment = PipelineChecks.environment(KEY);
        String timeout = LLM_TIMEOUT.toSeconds() + "s";
        environment.get(Stage.SAMPLER).putAll(Map.of(
                "SAMPLER_GENERATORS_BACKEND", "openai",
                "SAMPLER_GENERATORS_POOL_STUB_BASE_URL", llm.baseUrl(),
                "SAMPLER_GENERATORS_POOL_STUB_MODEL", OpenAiStub.GENERATOR,
                "SAMPLER_GENERATORS_POOL_STUB_TIMEOUT", timeout,
                "SAMPLER_JUDGE_BACKEND", "openai",
                "SAMPLER_JUDGE_OPENAI_BASE_URL", llm.baseUrl(),
                "SAMPLER_JUDGE_OPENAI_MODEL", OpenAiStub.JUDGE,
                "SAMPLER_JUDGE_OPENAI_TIMEOUT", timeout));
        environment.get(Stage.EVALUATOR).putAll(Map.of(
                "EVALUATOR_TARGETS_STUB_BASE_URL", llm.baseUrl(),
                "EVALUATOR_TARGETS_STUB_MODEL", OpenAiStub.TARGET,
                "EVALUATOR_TARGETS_STUB_TIMEOUT", timeout));
        return environment;
    }

    private static void awaitReadiness(Pipeline pipeline, Stage stage, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        URI ready = URI.create("http://127.0.0.1:" + pipeline.service(stage).port() + "/q/health/ready");
        int last;
        do {
            Thread.sleep(500);
            last = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } while (last != status && System.nanoTime() < deadline);
        assertThat(last).as("%s readiness", stage.service()).isEqualTo(status);
    }
}
