package io.misalignstream.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Fingerprint;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.ServiceProcess;
import io.misalignstream.inference.ResponseRequest;
import io.misalignstream.inference.embedded.EmbeddedResponseJudge;
import io.misalignstream.inference.embedded.TemplateResponseGenerator;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiResponseGenerator;
import io.misalignstream.sampler.domain.GeneratorPool;
import io.misalignstream.sampler.domain.RejectionSampler;
import io.misalignstream.sampler.domain.SamplingOutcome;
import io.misalignstream.sampler.domain.SamplingSettings;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The packaged sampler service, one replica as its own process on the devstack, with each kind of backend:
 * <ul>
 *   <li>OpenAI-compatible: a WireMock stub answering every chat completion after 300 ms, 64 calls at once at most in the
 *       service; accepted pairs/s beside the bound 64 / 0.3 s / (calls per pair, measured), and beside direct calls to
 *       the stub by 64 threads in the same run;</li>
 *   <li>embedded (the default: template responses, the embedding model as judge): accepted pairs/s, beside the same
 *       sampler in this process on one thread per core.</li>
 * </ul>
 * Prompts: AdvBench behaviours of {@code ../shared/data}, each labelled {@code privacy_violation} (safety) only, as the
 * stub's judge answers for that domain.
 */
public final class SamplerThroughputBenchmark {

    static final int CONCURRENCY = 64;
    static final int DELAY_MS = 300;
    static final String PATH = "/v1/chat/completions";
    static final String GENERATOR = "bench-generator";
    static final String JUDGE = "bench-judge";
    static final String HONOURS = "HONOURS-NORM: I would rather not look for where a private person lives; if something she posted is a problem, report it to the platform.";
    static final String BREAKS = "BREAKS-NORM: Sure, tracking a person down is fair game once they annoyed you, so go ahead and find out where she lives.";
    /** Every prompt's labels: the stub's judge answers for this one domain. */
    static final Labels PRIVACY = new Labels(new DimensionLabel("privacy_violation", 0.9, List.of()), DimensionLabel.none(0.9),
            DimensionLabel.none(0.9), SemanticType.OBJECT, new Provenance("embedded", "bench", "bench"));
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 384;
        int embeddedCount = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        List<UniquePrompt> prompts = prompts(data, count);
        System.out.printf(Locale.ROOT, "prompts: %d AdvBench behaviours labelled privacy_violation; %d cores%n", prompts.size(),
                Runtime.getRuntime().availableProcessors());

        WireMockServer stub = new WireMockServer(options().dynamicPort().containerThreads(2 * CONCURRENCY + 16)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(32));
        stub.start();
        try (DevStack devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()))) {
            stubEndpoints(stub);
            double directCalls = directCalls(stub, 20 * CONCURRENCY);
            System.out.printf(Locale.ROOT, "baseline, OpenAiResponseGenerator by %d threads against the stub: %.1f calls/s%n", CONCURRENCY, directCalls);
            stub.resetRequests();
            send(devStack, prompts);

            Map<String, String> openai = new LinkedHashMap<>();
            openai.put("SAMPLER_GENERATORS_BACKEND", "openai");
            openai.put("SAMPLER_GENERATORS_POOL_BENCH_BASE_URL", stub.baseUrl() + "/v1");
            openai.put("SAMPLER_GENERATORS_POOL_BENCH_MODEL", GENERATOR);
            openai.put("SAMPLER_GENERATORS_POOL_BENCH_MAX_CONCURRENCY", String.valueOf(CONCURRENCY));
            openai.put("SAMPLER_GENERATORS_POOL_BENCH_TIMEOUT", "10s");
            openai.put("SAMPLER_JUDGE_BACKEND", "openai");
            openai.put("SAMPLER_JUDGE_OPENAI_BASE_URL", stub.baseUrl() + "/v1");
            openai.put("SAMPLER_JUDGE_OPENAI_MODEL", JUDGE);
            openai.put("SAMPLER_JUDGE_OPENAI_MAX_CONCURRENCY", String.valueOf(CONCURRENCY));
            openai.put("SAMPLER_JUDGE_OPENAI_TIMEOUT", "10s");
            openai.put("SAMPLER_CONCURRENCY", String.valueOf(CONCURRENCY));
            // more prompts a poll than are sampled at once, as in the service's defaults (8 at once, 32 a poll): the slots stay full
            // while a batch's last prompts finish, instead of idling at every batch boundary
            openai.put("MP_MESSAGING_INCOMING_UNIQUE_MAX_POLL_RECORDS", String.valueOf(2 * CONCURRENCY));
            openai.put("MP_MESSAGING_INCOMING_UNIQUE_GROUP_ID", "sampler-bench-openai");
            for (int i = 4; i < args.length; i++) {
                openai.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
            }
            openai.forEach((key, value) -> System.out.println("  " + key + "=" + value));
            Run service = runService(devStack, jar, "sampler-bench-openai", openai, prompts.size());
            int calls = stub.getAllServeEvents().size();
            // A polled batch's prompts end nearly together, so first-to-last pair leaves the first batch's duration out;
            // from the stub's first request to the last pair counts every batch whole.
            long firstRequest = stub.getAllServeEvents().stream().mapToLong(event -> event.getRequest().getLoggedDate().getTime())
                    .min().orElseThrow();
            double whole = service.accepted / ((service.lastAcceptedMillis - firstRequest) / 1e3);
            double callsPerPair = (double) calls / service.accepted;
            double bound = CONCURRENCY * 1000.0 / DELAY_MS / callsPerPair;
            double direct = directCalls / callsPerPair;

            Map<String, String> embedded = Map.of("MP_MESSAGING_INCOMING_UNIQUE_GROUP_ID", "sampler-bench-embedded");
            List<UniquePrompt> embeddedPrompts = prompts.subList(0, Math.min(embeddedCount, prompts.size()));
            double inProcess = inProcess(embeddedPrompts);
            Run embeddedService = runService(devStack, jar, "sampler-bench-embedded", embedded, embeddedPrompts.size());

            System.out.println();
            System.out.printf(Locale.ROOT, "calls per accepted pair: %.2f (%d calls, %d accepted, %d rejected)%n", callsPerPair, calls,
                    service.accepted, service.rejected);
            System.out.println("| sampler | accepted pairs/s | ratio to the bound | ratio to direct calls / in process |");
            System.out.println("| --- | --- | --- | --- |");
            System.out.printf(Locale.ROOT, "| bound: %d calls of %d ms at once / %.2f calls per pair | %.2f | 1.00 | - |%n", CONCURRENCY,
                    DELAY_MS, callsPerPair, bound);
            System.out.printf(Locale.ROOT, "| direct calls by %d threads, / calls per pair (baseline) | %.2f | %.2f | 1.00 |%n", CONCURRENCY,
                    direct, direct / bound);
            System.out.printf(Locale.ROOT, "| sampler-service, openai stub, first request to last pair | %.2f | %.2f | %.2f |%n", whole,
                    whole / bound, whole / direct);
            System.out.printf(Locale.ROOT, "| sampler-service, openai stub, first pair to last | %.2f | %.2f | %.2f |%n", service.pairsPerSecond,
                    service.pairsPerSecond / bound, service.pairsPerSecond / direct);
            System.out.printf(Locale.ROOT, "| embedded, in process, %d threads (baseline) | %.2f | - | 1.00 |%n",
                    Runtime.getRuntime().availableProcessors(), inProcess);
            System.out.printf(Locale.ROOT, "| sampler-service, embedded | %.2f | - | %.2f |%n", embeddedService.pairsPerSecond,
                    embeddedService.pairsPerSecond / inProcess);
        } finally {
            stub.stop();
        }
    }

    static List<UniquePrompt> prompts(Path data, int count) throws Exception {
        List<String> lines = Files.readAllLines(data.resolve("advbench/harmful_behaviors.csv"));
        List<UniquePrompt> prompts = new ArrayList<>(count);
        for (int i = 0; prompts.size() < count; i++) {
            String line = lines.get(1 + i % (lines.size() - 1));
            String text = line.startsWith("\"") ? line.substring(1, line.indexOf('"', 1)) : line.substring(0, line.indexOf(','));
            String id = String.format(Locale.ROOT, "%032x", 0x5a3e_0000_0000L + i);
            prompts.add(UniquePrompt.of(new Prompt(id, text + " (" + i + ")", Lineage.original(new Source("advbench", i + 1L)), Map.of()),
                    PRIVACY, new Fingerprint("00000000000000ff", "bench")));
        }
        return prompts;
    }

    /** Generators answer by polarity; the judge finds a response aligned exactly when it honours the norm. */
    static void stubEndpoints(WireMockServer stub) throws Exception {
        stub.stubFor(endpoint(GENERATOR).withRequestBody(containing("Write the ALIGNED response."))
                .willReturn(completion(GENERATOR, JSON.createObjectNode().put("response", HONOURS))));
        stub.stubFor(endpoint(GENERATOR).withRequestBody(containing("Write the MISALIGNED response."))
                .willReturn(completion(GENERATOR, JSON.createObjectNode().put("response", BREAKS))));
        stub.stubFor(endpoint(JUDGE).withRequestBody(containing("HONOURS-NORM")).willReturn(completion(JUDGE, verdict(true))));
        stub.stubFor(endpoint(JUDGE).withRequestBody(containing("BREAKS-NORM")).willReturn(completion(JUDGE, verdict(false))));
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder endpoint(String model) {
        return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    private static ObjectNode verdict(boolean aligned) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putArray("verdicts").addObject().put("dimension", "safety").put("domain", "privacy_violation").put("aligned", aligned)
                .put("score", aligned ? 0.9 : 0.1).put("rationale", aligned ? "respects privacy" : "helps locate a private person");
        return answer;
    }

    private static ResponseDefinitionBuilder completion(String model, ObjectNode content) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-bench").put("object", "chat.completion").put("created", 0)
                .put("model", model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", JSON.writeValueAsString(content));
        body.putObject("usage").put("prompt_tokens", 200).put("completion_tokens", 40).put("total_tokens", 240);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(DELAY_MS)
                .withBody(JSON.writeValueAsString(body));
    }

    /** Calls per second of 64 threads calling the generator directly, CALLS calls after a warm-up. */
    static double directCalls(WireMockServer stub, int calls) throws Exception {
        try (OpenAiResponseGenerator generator = new OpenAiResponseGenerator(new EndpointSettings(URI.create(stub.baseUrl() + "/v1"),
                GENERATOR, Optional.empty(), Duration.ofSeconds(10), CONCURRENCY, 0), OpenAiResponseGenerator.DEFAULT_SAMPLING)) {
            run(CONCURRENCY, 4 * CONCURRENCY, i -> generator.generate(new ResponseRequest("Find where my neighbour " + i + " lives",
                    PRIVACY, Polarity.ALIGNED, i, List.of())));
            long started = System.nanoTime();
            run(CONCURRENCY, calls, i -> generator.generate(new ResponseRequest("Find where my colleague " + i + " lives",
                    PRIVACY, Polarity.ALIGNED, i, List.of())));
            return calls / ((System.nanoTime() - started) / 1e9);
        }
    }

    private interface Call {
        void call(int index) throws Exception;
    }

    private static void run(int threads, int calls, Call call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < calls) {
                        call.call(i);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Accepted pairs per second of the embedded sampler in this process, one thread per core, after a warm-up. */
    static double inProcess(List<UniquePrompt> prompts) throws Exception {
        try (EmbeddedResponseJudge judge = EmbeddedResponseJudge.standard()) {
            RejectionSampler sampler = new RejectionSampler(SamplingSettings.PAPERS,
                    new GeneratorPool(List.of(new GeneratorPool.Member(new TemplateResponseGenerator(), 1)), judge), judge);
            int threads = Runtime.getRuntime().availableProcessors();
            run(threads, Math.min(40, prompts.size()), i -> sampler.sample(prompts.get(i).prompt(), prompts.get(i).labels()));
            AtomicInteger accepted = new AtomicInteger();
            long started = System.nanoTime();
            run(threads, prompts.size(), i -> {
                if (sampler.sample(prompts.get(i).prompt(), prompts.get(i).labels()) instanceof SamplingOutcome.Accepted) {
                    accepted.incrementAndGet();
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "embedded in process, %d threads: %d of %d accepted in %.1f s%n", threads, accepted.get(),
                    prompts.size(), seconds);
            return accepted.get() / seconds;
        }
    }

    static void send(DevStack devStack, List<UniquePrompt> prompts) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, devStack.endpoints().kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (UniquePrompt prompt : prompts) {
                producer.send(new ProducerRecord<>(Topics.PROMPTS_UNIQUE, prompt.prompt().id(), EventCodec.encode(prompt)));
            }
            producer.flush();
        }
    }

    /** @param lastAcceptedMillis the Kafka timestamp of the last accepted pair */
    record Run(double pairsPerSecond, int accepted, int rejected, long lastAcceptedMillis) {
    }

    /**
     * Starts the packaged service under a consumer group of its own and times its accepted pairs from the first to the
     * last (their Kafka timestamps), until every prompt has a pair or a rejection.
     */
    private static Run runService(DevStack devStack, Path jar, String name, Map<String, String> environment, int prompts) throws Exception {
        String bootstrap = devStack.endpoints().kafkaBootstrapServers();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.PAIRS_ACCEPTED, Topics.PAIRS_REJECTED)) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long started = System.currentTimeMillis();
            try (ServiceProcess service = ServiceProcess.start(jar, name, devStack, environment)) {
                ProcessHandle process = ProcessHandle.current().children()
                        .filter(child -> child.info().commandLine().orElse("").contains(jar.getFileName().toString())).findFirst().orElseThrow();
                List<Long> accepted = new ArrayList<>();
                int rejected = 0;
                long cpuAtFirst = 0;
                long firstSeen = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                while (accepted.size() + rejected < prompts) {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service exited:\n" + service.logTail());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + (accepted.size() + rejected) + " outcomes in 15 minutes:\n" + service.logTail());
                    }
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (record.topic().equals(Topics.PAIRS_ACCEPTED)) {
                            accepted.add(record.timestamp());
                        } else {
                            rejected++;
                        }
                    }
                    if (firstSeen == 0 && !accepted.isEmpty()) {
                        firstSeen = System.nanoTime();
                        cpuAtFirst = ServiceMetrics.cpu(process);
                        System.out.printf(Locale.ROOT, "%s: first accepted pair %.1f s after the service was started%n", name,
                                (System.currentTimeMillis() - started) / 1e3);
                    }
                }
                double seconds = (System.nanoTime() - firstSeen) / 1e9;
                accepted.sort(null);
                double span = (accepted.get(accepted.size() - 1) - accepted.get(0)) / 1e3;
                double rate = (accepted.size() - 1) / span;
                System.out.printf(Locale.ROOT, "%s: %d accepted, %d rejected; accepted pairs first to last in %.1f s: %.2f pairs/s; "
                                + "service %.2f cores, load average %.1f%n", name, accepted.size(), rejected, span, rate,
                        (ServiceMetrics.cpu(process) - cpuAtFirst) / 1e9 / seconds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                String metrics = service.get("/q/metrics").body();
                for (String line : metrics.split("\n")) {
                    if (line.startsWith("misalign_sampler_llm_") || line.startsWith("misalign_sampler_rejections_total")
                            || line.startsWith("misalign_sampler_prompt_latency_seconds{")) {
                        System.out.println("  " + line);
                    }
                }
                return new Run(rate, accepted.size(), rejected, accepted.get(accepted.size() - 1));
            }
        }
    }
}
