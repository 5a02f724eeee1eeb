package io.misalignstream.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.ServiceProcess;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptGenerator;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Generation throughput of the packaged expander service, as its own process on the devstack, with the generator
 * {@code openai} against a WireMock stub in this process that answers every chat completion after 500 ms (fixed
 * delay, asynchronous responses, so the stub holds no thread while it waits). Generation concurrency 16 and 16 slots
 * in flight: the ideal is 16 / 0.5 s = 32 prompts/s. Measured from the first synthetic record on
 * {@code prompts.candidates} to the SLOTS-th (the records' create times, set by the service's producer): SLOTS - 1
 * intervals. Baseline of the same run: {@link OpenAiPromptGenerator} called directly by 16 threads against the same
 * stub, timed the same way (first answer to the SLOTS-th).
 *
 * <p>The stub varies its answer by response templating: a request for a domain (recognised by the user message's
 * "Domain: NAME (DIMENSION dimension)") is answered with one of that domain's example requests of the embedded
 * classifier ({@code domain-examples.json}), picked at random per request ({@code pickRandom}); the benchmark labels
 * every example with the embedded classifier first and offers only those whose label agrees with their domain, so the
 * service runs with verification on and drops nothing. Every domain of the three dimensions is expanded from empty to
 * a target that makes at least SLOTS + 32 slots due.
 *
 * <p>Usage: {@code ExpanderThroughputBenchmark SERVICE_JAR [SLOTS] [KEY=VALUE...]}: each KEY=VALUE is added to the service's
 * environment (to try a setting; the ones above are the benchmark's).
 */
public final class ExpanderThroughputBenchmark {

    static final int CONCURRENCY = 16;
    static final int DELAY_MS = 500;
    static final String PATH = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int slots = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        Taxonomy taxonomy = Taxonomy.standard();
        List<Domain> domains = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            domains.addAll(taxonomy.namedDomains(dimension));
        }
        int target = (slots + 2 * CONCURRENCY + domains.size() - 1) / domains.size();

        Map<Domain, List<String>> answers = verifiedExamples(domains);
        WireMockServer stub = new WireMockServer(options().dynamicPort().containerThreads(64)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(32));
        stub.start();
        try {
            StubMapping fallback = stub(stub, answers);
            check(stub, domains, answers);
            System.out.printf(Locale.ROOT, "stub: %s, every answer after %d ms; %d domains, target %d each: %,d slots due%n",
                    stub.baseUrl(), DELAY_MS, domains.size(), target, target * domains.size());

            DevStackOptions options = DevStackOptions.defaults().withEnvironment(Map.of());
            try (DevStack devStack = DevStack.start(options)) {
                stub.resetRequests();
                double direct = direct(stub, domains, slots);
                System.out.printf(Locale.ROOT, "baseline, OpenAiPromptGenerator by %d threads: %.2f prompts/s%n", CONCURRENCY, direct);
                stub.resetRequests();

                Map<String, String> environment = new LinkedHashMap<>();
                environment.put("EXPANDER_DIMENSIONS", "safety,value,cultural");
                environment.put("EXPANDER_TARGETS_ALL", String.valueOf(target));
                environment.put("EXPANDER_BUDGET_IN_FLIGHT", String.valueOf(CONCURRENCY));
                environment.put("EXPANDER_BUDGET_PER_MINUTE", "100000");
                environment.put("EXPANDER_SWEEP_DELAY", "1s");
                environment.put("EXPANDER_GENERATOR_BACKEND", "openai");
                environment.put("EXPANDER_GENERATOR_OPENAI_BASE_URL", stub.baseUrl() + "/v1");
                environment.put("EXPANDER_GENERATOR_OPENAI_MAX_CONCURRENCY", String.valueOf(CONCURRENCY));
                environment.put("EXPANDER_GENERATOR_OPENAI_TIMEOUT", "10s");
                environment.put("EXPANDER_VERIFICATION_ENABLED", "true");
                for (int i = 2; i < args.length; i++) {
                    environment.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
                }
                environment.forEach((key, value) -> System.out.println("  " + key + "=" + value));
                Service service = runService(devStack, jar, environment, slots, stub, fallback);

                double ideal = CONCURRENCY * 1000.0 / DELAY_MS;
                System.out.println();
                System.out.println("| generator | prompts/s | ratio to ideal (32/s) | ratio to direct calls |");
                System.out.println("| --- | --- | --- | --- |");
                System.out.printf(Locale.ROOT, "| OpenAiPromptGenerator, %d threads (baseline) | %.2f | %.3f | 1.000 |%n", CONCURRENCY, direct,
                        direct / ideal);
                System.out.printf(Locale.ROOT, "| expander-service, one replica, verification on | %.2f | %.3f | %.3f |%n", service.rate,
                        service.rate / ideal, service.rate / direct);
            }
        } finally {
            stub.stop();
        }
    }

    /** Each domain's shipped example requests that the embedded classifier labels with it (primary or further, delta 0.5). */
    static Map<Domain, List<String>> verifiedExamples(List<Domain> domains) throws Exception {
        JsonNode root;
        try (InputStream in = EmbeddedPromptClassifier.class.getResourceAsStream("domain-examples.json")) {
            root = JSON.readTree(in);
        }
        Map<Domain, List<String>> answers = new LinkedHashMap<>();
        int offered = 0;
        int kept = 0;
        try (EmbeddedPromptClassifier classifier = EmbeddedPromptClassifier.standard(ExpanderQualityBenchmark.DELTA)) {
            for (Domain domain : domains) {
                List<String> agreeing = new ArrayList<>();
                for (JsonNode example : root.path(domain.dimension().json()).path(domain.id())) {
                    DimensionLabel label = classifier.classify(example.asText()).of(domain.dimension());
                    offered++;
                    if (label.primary().equals(domain.id()) || label.further().stream().anyMatch(s -> s.domain().equals(domain.id()))) {
                        agreeing.add(example.asText());
                    }
                }
                if (agreeing.isEmpty()) {
                    throw new IllegalStateException("no example of " + domain.id() + " is labelled with it: every slot would be dropped");
                }
                kept += agreeing.size();
                answers.put(domain, agreeing);
            }
        }
        System.out.printf("stub answers: %d of %d shipped examples, those the embedded classifier labels with their domain%n", kept, offered);
        return answers;
    }

    /** One stub per domain, answering one of its examples at random; a fallback for anything else, so a mismatch shows. */
    static StubMapping stub(WireMockServer stub, Map<Domain, List<String>> answers) throws Exception {
        for (Map.Entry<Domain, List<String>> entry : answers.entrySet()) {
            Domain domain = entry.getKey();
            String needle = jsonEscaped("Domain: " + domain.name() + " (" + domain.dimension().json() + " dimension)");
            StringBuilder pick = new StringBuilder("{{{pickRandom");
            for (String answer : entry.getValue()) {
                // JSON-escaped twice (the prompt in the answer, the answer in the completion), then a Handlebars literal
                pick.append(" '").append(jsonEscaped(jsonEscaped(answer)).replace("'", "\\'")).append('\'');
            }
            pick.append("}}}");
            stub.stubFor(post(urlEqualTo(PATH)).atPriority(1).withRequestBody(containing(needle))
                    .willReturn(completion("{\\\"prompt\\\": \\\"" + pick + "\\\"}").withTransformers("response-template")));
        }
        return stub.stubFor(post(urlEqualTo(PATH)).atPriority(10)
                .willReturn(completion("{\\\"prompt\\\": \\\"A request the benchmark's stubs did not recognise.\\\"}")));
    }

    /** A chat completion whose content is {@code content}, given already escaped for a JSON string. */
    private static ResponseDefinitionBuilder completion(String content) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", "bench-generator");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", "@CONTENT@");
        body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body.toString().replace("@CONTENT@", content)).withFixedDelay(DELAY_MS);
    }

    private static String jsonEscaped(String text) throws Exception {
        String quoted = JSON.writeValueAsString(text);
        return quoted.substring(1, quoted.length() - 1);
    }

    /** One request per domain through the generator: every domain's stub answers one of its examples (also warms the stub up). */
    private static void check(WireMockServer stub, List<Domain> domains, Map<Domain, List<String>> answers) throws Exception {
        try (OpenAiPromptGenerator generator = generator(stub)) {
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
            try {
                List<Future<String>> texts = new ArrayList<>();
                for (Domain domain : domains) {
                    texts.add(pool.submit(() -> generator.generate(new GenerationRequest(domain, 0, List.of())).text()));
                }
                for (int i = 0; i < domains.size(); i++) {
                    if (!answers.get(domains.get(i)).contains(texts.get(i).get())) {
                        throw new IllegalStateException("the stub answered " + domains.get(i).id() + " with '" + texts.get(i).get() + "'");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static OpenAiPromptGenerator generator(WireMockServer stub) {
        return new OpenAiPromptGenerator(new EndpointSettings(URI.create(stub.baseUrl() + "/v1"), "bench-generator", Optional.empty(),
                Duration.ofSeconds(10), CONCURRENCY, 0), new SamplingParameters(null, null, null, null));
    }

    /** The generator called directly by 16 threads, SLOTS times over the domains in turn: first answer to the SLOTS-th. */
    static double direct(WireMockServer stub, List<Domain> domains, int slots) throws Exception {
        long[] done = new long[slots];
        AtomicInteger next = new AtomicInteger();
        try (OpenAiPromptGenerator generator = generator(stub)) {
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < CONCURRENCY; t++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < slots) {
                        generator.generate(new GenerationRequest(domains.get(i % domains.size()), i / domains.size(), List.of()));
                        done[i] = System.nanoTime();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();
        }
        Arrays.sort(done);
        return (slots - 1) / ((done[slots - 1] - done[0]) / 1e9);
    }

    record Service(double rate) {
    }

    /** Starts the packaged service and times its synthetic records on prompts.candidates, first to SLOTS-th. */
    private static Service runService(DevStack devStack, Path jar, Map<String, String> environment, int slots, WireMockServer stub,
                                      StubMapping fallback) throws Exception {
        String bootstrap = devStack.endpoints().kafkaBootstrapServers();
        long started = System.currentTimeMillis();
        try (ServiceProcess service = ServiceProcess.start(jar, "expander-bench", devStack, environment);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000"), new StringDeserializer(), new ByteArrayDeserializer())) {
            ProcessHandle process = ProcessHandle.current().children()
                    .filter(child -> child.info().commandLine().orElse("").contains(jar.getFileName().toString())).findFirst().orElseThrow();
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROMPTS_CANDIDATES).stream()
                    .map(info -> new TopicPartition(Topics.PROMPTS_CANDIDATES, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<Long> created = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            long firstSeen = 0;
            long cpuAtFirst = 0;
            long ownCpuAtFirst = 0;
            long enough = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (enough == 0 || System.nanoTime() < enough) {
                if (!service.isAlive()) {
                    throw new IllegalStateException("the service exited:\n" + service.logTail());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + created.size() + " synthetic records in 10 minutes:\n" + service.logTail());
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    CandidatePrompt candidate = EventCodec.decode(record.value(), CandidatePrompt.class);
                    if (candidate.prompt().lineage().origin() == Origin.SYNTHETIC && ids.add(candidate.prompt().id())) {
                        created.add(record.timestamp());
                    }
                }
                if (firstSeen == 0 && !created.isEmpty()) {
                    firstSeen = System.nanoTime();
                    cpuAtFirst = ServiceMetrics.cpu(process);
                    ownCpuAtFirst = ServiceMetrics.ownCpu();
                    System.out.printf(Locale.ROOT, "first synthetic record %.1f s after the service was started%n",
                            (System.currentTimeMillis() - started) / 1e3);
                }
                if (enough == 0 && created.size() >= slots) {
                    double seconds = (System.nanoTime() - firstSeen) / 1e9;
                    System.out.printf(Locale.ROOT, "while generating: service %.2f cores, benchmark and stub %.2f cores, load average %.1f%n",
                            (ServiceMetrics.cpu(process) - cpuAtFirst) / 1e9 / seconds, (ServiceMetrics.ownCpu() - ownCpuAtFirst) / 1e9 / seconds,
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                    // records of other partitions created before the SLOTS-th may still be on their way
                    enough = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
            created.sort(null);
            long first = created.get(0);
            long last = created.get(slots - 1);
            double rate = (slots - 1) / ((last - first) / 1e3);
            System.out.printf(Locale.ROOT, "expander-service: %d synthetic records in %.2f s from the first to the %d-th: %.2f prompts/s%n",
                    slots, (last - first) / 1e3, slots, rate);
            stubActivity(stub, fallback, first, last);
            printMetrics(service);
            return new Service(rate);
        }
    }

    /** Requests the stub received while the service generated, and how many were open at once on average. */
    private static void stubActivity(WireMockServer stub, StubMapping fallback, long first, long last) {
        List<ServeEvent> events = stub.getAllServeEvents();
        double open = 0;
        int received = 0;
        int unrecognised = 0;
        for (ServeEvent event : events) {
            long start = event.getRequest().getLoggedDate().getTime();
            Integer total = event.getTiming() == null ? null : event.getTiming().getTotalTime();
            long end = start + (total == null ? DELAY_MS : total);
            if (start >= first && start <= last) {
                received++;
            }
            open += Math.max(0, Math.min(end, last) - Math.max(start, first));
            if (event.getStubMapping() != null && fallback.getId().equals(event.getStubMapping().getId())) {
                unrecognised++;
            }
        }
        System.out.printf(Locale.ROOT, "stub: %d requests in all, %d unrecognised; between the first and the last measured record "
                        + "%d received (%.2f/s), %.2f open on average%n", events.size(), unrecognised, received,
                received / ((last - first) / 1e3), open / (last - first));
    }

    private static void printMetrics(ServiceProcess service) throws Exception {
        String metrics = service.get("/q/metrics").body();
        Path all = java.nio.file.Files.createTempFile("expander-throughput-metrics-", ".txt");
        java.nio.file.Files.writeString(all, metrics);
        System.out.println("service metrics (all of them in " + all + "):");
        for (String line : metrics.split("\n")) {
            if (line.startsWith("misalign_expander_synthetic_total") || line.startsWith("misalign_expander_backend_errors_total")
                    || line.startsWith("misalign_expander_verification_agreement")) {
                System.out.println("  " + line);
            }
        }
        // Where a slot's time goes besides the generator: publishing (linger, then the acknowledgement) and Redis.
        System.out.printf(Locale.ROOT, "  prompts.candidates producer: %.1f ms queued (linger), %.1f ms per request; Redis: %.1f ms per command%n",
                ServiceMetrics.metric(metrics, "kafka_producer_record_queue_time_avg{client_id=\"kafka-producer-candidates\""),
                ServiceMetrics.metric(metrics, "kafka_producer_request_latency_avg{client_id=\"kafka-producer-candidates\""),
                1000 * ServiceMetrics.metric(metrics, "redis_commands_duration_seconds_sum") / ServiceMetrics.metric(metrics, "redis_commands_duration_seconds_count"));
    }
}
