package io.misalignstream.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.ServiceProcess;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.openai.ChatCompletions;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The classifier service end to end through Kafka, one replica (the packaged application as its own process), with
 * each backend, beside the same backend called in process without Kafka:
 * <ol>
 *   <li>Embedded model: N ingested prompts of 15 to 40 words, made from real prompts, are put on
 *       {@code prompts.ingested} first; then the service drains them into {@code prompts.classified}, timed from its
 *       first output to its N-th. Baseline of the same run: {@link EmbeddedPromptClassifier#standard(double)} labelling
 *       the same texts from {@link PromptClassifier#parallelism()} caller threads (one per core), no Kafka, before and
 *       after the service (the machine is shared; their mean is the reference).</li>
 *   <li>OpenAI-compatible endpoint: a WireMock stub in this process answers every chat completion with valid labels
 *       after 200 ms. M further prompts are put on {@code prompts.ingested}, and the service, under a consumer group
 *       that starts where they start, labels them through the stub with 32 requests in flight: at most 32 / 0.2 s =
 *       160 prompts/s. Baseline of the same run: {@link OpenAiPromptClassifier} called by 32 threads against the same
 *       stub, no Kafka.</li>
 * </ol>
 * The broker, the service, the stub and this process share the machine's cores. Beside the rates it prints where the
 * cores went (the service, the devstack's servers, this process, the rest of the machine), the service's busiest
 * threads, how often its classifier workers were runnable, and its own latency meters.
 *
 * <p>Usage: {@code ClassifierThroughputBenchmark DATA_DIR SERVICE_JAR [N] [M]}.
 */
public final class ClassifierThroughputBenchmark {

    static final int MIN_WORDS = 15;
    static final int MAX_WORDS = 40;
    static final double DELTA = 0.5;
    static final int OPENAI_CONCURRENCY = 32;
    static final int STUB_DELAY_MS = 200;
    static final double IDEAL = OPENAI_CONCURRENCY * 1000.0 / STUB_DELAY_MS;
    static final double EMBEDDED_TARGET = 150;
    static final double OPENAI_TARGET_RATIO = 0.90;
    static final String OPENAI_GROUP = "classifier-bench-openai";
    static final String STUB_MODEL = "stub-instruct";
    /** A valid structured answer: labels in all three dimensions and a semantic type. */
    static final String ANSWER = """
            {"safety":[{"domain":"privacy_violation","probability":0.9},{"domain":"self_harm","probability":0.1}],
             "value":[{"domain":"none","probability":0.3},{"domain":"honesty","probability":0.7}],
             "cultural":[],
             "semanticType":"relation"}""";
    /** How often the service's outputs and the machine's CPU are looked at while the service runs. */
    private static final Duration POLL = Duration.ofMillis(200);
    /** No output for this long while some are missing: the service is stuck, its log says why. */
    private static final Duration STALL = Duration.ofMinutes(3);

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        Path data = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        // 10,000 at about 150/s is a minute of traffic: a fresh service's JIT compiles for its first 20 s or so (about a
        // third of a core), and a stream runs for hours; 3,000 would time mostly that start.
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int openAiCount = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        Random random = new Random(20261123);
        List<String> texts = texts(data, count + openAiCount, random);
        List<String> embeddedTexts = texts.subList(0, count);
        List<String> openAiTexts = texts.subList(count, count + openAiCount);
        System.out.printf(Locale.ROOT, "prompts: %,d + %,d, %d to %d words (mean %.1f), %,d distinct texts; %d cores%n",
                count, openAiCount, MIN_WORDS, MAX_WORDS, texts.stream().mapToInt(t -> t.split("\\s+").length).average().orElse(0),
                texts.stream().distinct().count(), Runtime.getRuntime().availableProcessors());

        DevStackOptions options = DevStackOptions.defaults().withEnvironment(Map.of());
        try (DevStack devStack = DevStack.start(options)) {
            String bootstrap = devStack.endpoints().kafkaBootstrapServers();

            // 1. The embedded model.
            long start = System.nanoTime();
            preload(bootstrap, ingested(embeddedTexts, "e", random));
            System.out.printf(Locale.ROOT, "preloaded %,d prompts in %.1f s%n", count, (System.nanoTime() - start) / 1e9);
            // The machine is shared: the baseline is taken before and after the service, and their mean is the reference.
            Direct before = inProcess(embeddedTexts);
            before.print("embedded in process, before the service");
            Map<String, String> embedded = Map.of("CLASSIFIER_BACKEND", "embedded");
            Run embeddedService = runService(devStack, jar, embedded, count);
            System.out.printf(Locale.ROOT, "classifier-service, embedded: %,.1f prompts/s%n%s", embeddedService.rate, embeddedService.details());
            Direct after = inProcess(embeddedTexts);
            after.print("embedded in process, after the service");
            double inProcess = (before.rate + after.rate) / 2;

            // 2. The OpenAI-compatible endpoint, a stub answering after 200 ms.
            WireMockServer stub = new WireMockServer(options().dynamicPort().containerThreads(100).asynchronousResponseEnabled(true)
                    .disableRequestJournal());
            stub.start();
            try {
                stub.stubFor(post(urlEqualTo(ChatCompletions.PATH)).willReturn(ChatCompletions.completion(STUB_MODEL, ANSWER).withFixedDelay(STUB_DELAY_MS)));
                URI baseUrl = URI.create(stub.baseUrl() + "/v1");
                Direct direct = direct(baseUrl, openAiTexts);
                direct.print("openai direct (CPU with the stub's)");

                Map<TopicPartition, Long> from = ends(bootstrap, Topics.PROMPTS_INGESTED);
                preload(bootstrap, ingested(openAiTexts, "o", random));
                startGroupAt(bootstrap, OPENAI_GROUP, from);
                Map<String, String> openAi = new LinkedHashMap<>();
                openAi.put("CLASSIFIER_BACKEND", "openai");
                openAi.put("CLASSIFIER_GROUP_ID", OPENAI_GROUP);
                openAi.put("CLASSIFIER_OPENAI_BASE_URL", baseUrl.toString());
                openAi.put("CLASSIFIER_OPENAI_MODEL", STUB_MODEL);
                openAi.put("CLASSIFIER_OPENAI_MAX_CONCURRENCY", String.valueOf(OPENAI_CONCURRENCY));
                openAi.put("CLASSIFIER_OPENAI_TIMEOUT", "10s");
                Run openAiService = runService(devStack, jar, openAi, openAiCount);
                System.out.printf(Locale.ROOT, "classifier-service, openai: %,.1f prompts/s%n%s", openAiService.rate, openAiService.details());

                System.out.println();
                System.out.println("| stage | prompts/s | ratio to in-process / direct | ratio to ideal (32 / 0.2 s) | CPU ms per prompt | target |");
                System.out.println("| --- | --- | --- | --- | --- | --- |");
                System.out.printf(Locale.ROOT, "| embedded, in process, %d callers, no Kafka (before / after the service) | %,.1f (%,.1f / %,.1f) "
                        + "| 1.00 | - | %.1f / %.1f | - |%n", before.callers, inProcess, before.rate, after.rate, before.cpuMs, after.cpuMs);
                System.out.printf(Locale.ROOT, "| classifier-service, embedded, through Kafka | %,.1f | %.2f | - | %.1f | >= %.0f prompts/s: %s |%n",
                        embeddedService.rate, embeddedService.rate / inProcess, embeddedService.cpuMs(), EMBEDDED_TARGET,
                        embeddedService.rate >= EMBEDDED_TARGET ? "met" : "missed");
                System.out.printf(Locale.ROOT, "| ideal, 32 requests in flight of 200 ms | %,.1f | - | 1.00 | - | - |%n", IDEAL);
                System.out.printf(Locale.ROOT, "| openai, %d callers direct, no Kafka | %,.1f | 1.00 | %.2f | %.1f (with the stub) | - |%n",
                        direct.callers, direct.rate, direct.rate / IDEAL, direct.cpuMs);
                System.out.printf(Locale.ROOT, "| classifier-service, openai, through Kafka | %,.1f | %.2f | %.2f | %.1f | >= %.2f of ideal: %s |%n",
                        openAiService.rate, openAiService.rate / direct.rate, openAiService.rate / IDEAL, openAiService.cpuMs(),
                        OPENAI_TARGET_RATIO, openAiService.rate / IDEAL >= OPENAI_TARGET_RATIO ? "met" : "missed");
            } finally {
                stub.stop();
            }
        }
    }

    /**
     * Real prompts of 15 to 40 words: a source picked at random, then one of its prompts of at least 15 words, cut to
     * its first 40. Sources are picked evenly, so the short harmful behaviours and value questions weigh as much as the
     * long role prompts.
     */
    static List<String> texts(Path data, int count, Random random) throws IOException {
        List<List<String>> sources = new ArrayList<>();
        for (List<String> prompts : NearDuplicateBenchmark.sources(data).values()) {
            List<String> fit = prompts.stream().map(p -> p.split("\\s+")).filter(words -> words.length >= MIN_WORDS)
                    .map(words -> String.join(" ", Arrays.copyOf(words, Math.min(MAX_WORDS, words.length)))).toList();
            if (!fit.isEmpty()) {
                sources.add(fit);
            }
        }
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> source = sources.get(random.nextInt(sources.size()));
            texts.add(source.get(random.nextInt(source.size())));
        }
        return texts;
    }

    /** One ingested prompt per text, each with an id of its own. */
    private static List<IngestedPrompt> ingested(List<String> texts, String prefix, Random random) {
        List<IngestedPrompt> prompts = new ArrayList<>(texts.size());
        Instant now = Instant.now();
        for (int i = 0; i < texts.size(); i++) {
            String id = prefix + HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(i);
            prompts.add(IngestedPrompt.of(new Prompt(id, texts.get(i), Lineage.original(new Source("bench", i + 1L)), Map.of()), now));
        }
        return prompts;
    }

    /** Sends every prompt; one whose delivery timed out (seen now and then on fresh topics of the devstack) is sent once more. */
    private static void preload(String bootstrap, List<IngestedPrompt> prompts) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            List<IngestedPrompt> failed = send(producer, prompts);
            if (!failed.isEmpty() && !send(producer, failed).isEmpty()) {
                throw new IllegalStateException("prompts could not be delivered twice");
            }
        }
    }

    private static List<IngestedPrompt> send(KafkaProducer<String, byte[]> producer, List<IngestedPrompt> prompts) throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (IngestedPrompt prompt : prompts) {
            sent.add(producer.send(new ProducerRecord<>(Topics.PROMPTS_INGESTED, prompt.prompt().id(), EventCodec.encode(prompt))));
        }
        List<IngestedPrompt> failed = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (ExecutionException e) {
                failed.add(prompts.get(i));
            }
        }
        return failed;
    }

    /** A consumer group that has not consumed yet, made to start at the given offsets rather than at the topic's beginning. */
    private static void startGroupAt(String bootstrap, String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.alterConsumerGroupOffsets(group, commits).all().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * @param cpuMs CPU time of this whole process per prompt, in milliseconds
     * @param machine where the cores went over the measurement
     * @param threads CPU of this process's threads over the measurement, in cores, busiest first
     */
    record Direct(double rate, int callers, double cpuMs, String machine, String threads) {

        void print(String what) {
            System.out.printf(Locale.ROOT, "%s, %d callers: %,.1f prompts/s, %.1f ms CPU per prompt; %s%n  threads (cores): %s%n", what,
                    callers, rate, cpuMs, machine, threads);
        }
    }

    /** The embedded classifier in this process: every text labelled once by one caller per session, after a warm-up. */
    private static Direct inProcess(List<String> texts) throws Exception {
        try (EmbeddedPromptClassifier classifier = EmbeddedPromptClassifier.standard(DELTA)) {
            int callers = classifier.parallelism();
            label(classifier, callers, texts.subList(0, Math.min(300, texts.size())));
            return measure(classifier, callers, texts);
        }
    }

    /** The OpenAI-compatible classifier in this process, 32 callers against the stub, after a warm-up. */
    private static Direct direct(URI baseUrl, List<String> texts) throws Exception {
        EndpointSettings settings = new EndpointSettings(baseUrl, STUB_MODEL, Optional.empty(), Duration.ofSeconds(10),
                OPENAI_CONCURRENCY, 0);
        try (OpenAiPromptClassifier classifier = new OpenAiPromptClassifier(settings, DELTA)) {
            // The first requests open connections and run cold code: a few seconds of warm-up.
            label(classifier, OPENAI_CONCURRENCY, texts.subList(0, Math.min(25 * OPENAI_CONCURRENCY, texts.size())));
            return measure(classifier, OPENAI_CONCURRENCY, texts);
        }
    }

    private static Direct measure(PromptClassifier classifier, int callers, List<String> texts) throws Exception {
        long pid = ProcessHandle.current().pid();
        List<ProcessHandle> servers = Sample.serverProcesses();
        Sample before = Sample.of(null, servers);
        Map<String, Long> threads = ThreadCpu.of(pid);
        List<Map<String, Long>> after = new ArrayList<>();
        // taken while the callers still exist: /proc forgets a thread once it ends
        double seconds = label(classifier, callers, texts, () -> after.add(ThreadCpu.of(pid)));
        Sample end = Sample.of(null, servers);
        double cpuMs = 1000 * (end.own - before.own) / texts.size();
        return new Direct(texts.size() / seconds, callers, cpuMs, Sample.cores(before, end) + ", load average " + Cpu.load(),
                ThreadCpu.since(threads, after.get(0), seconds));
    }

    private static double label(PromptClassifier classifier, int callers, List<String> texts) throws Exception {
        return label(classifier, callers, texts, () -> { });
    }

    /** Seconds for the callers to label every text, each taking the next one; {@code done} runs before the callers end. */
    private static double label(PromptClassifier classifier, int callers, List<String> texts, Runnable done) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(callers, task -> new Thread(task, "bench-caller"));
        try {
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                running.add(threads.submit(() -> {
                    for (int index = next.getAndIncrement(); index < texts.size(); index = next.getAndIncrement()) {
                        classifier.classify(texts.get(index));
                    }
                    return null;
                }));
            }
            for (Future<?> caller : running) {
                caller.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            done.run();
            return seconds;
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * @param rate prompts labelled from the first output to the last, per second
     * @param before prompts labelled before the first output: its batch, and what of the next was done meanwhile
     * @param serviceCores the service process's CPU over the measurement, in cores
     * @param machine where the cores went over the measurement
     * @param threads the service's busiest threads, and how often its classifier workers were runnable
     * @param metrics from the service's own meters
     */
    record Run(double rate, long classified, long deadLetters, double seconds, long before, double serviceCores, String machine,
               String threads, String metrics) {

        /** CPU time of the service's process per prompt, in milliseconds. */
        double cpuMs() {
            return 1000 * serviceCores / rate;
        }

        String details() {
            return String.format(Locale.ROOT, "  %,d classified, %,d dead letters; first output to last in %.1f s, %,d labelled "
                    + "before the first output; service process %.2f cores, %.1f ms CPU per prompt; %s%n"
                    + "  service threads (cores): %s%n%s", classified, deadLetters, seconds, before, serviceCores, cpuMs(), machine,
                    threads, metrics);
        }
    }

    /**
     * A look at the machine: wall clock, then CPU seconds of the service, of the devstack's servers and of this process,
     * and the whole machine's busy and total CPU time (/proc/stat ticks, all cores).
     */
    private record Sample(long millis, double service, double servers, double own, double busy, double total) {

        /** @param service the service's process, or null when there is none */
        static Sample of(ProcessHandle service, List<ProcessHandle> servers) {
            double serversCpu = servers.stream().mapToDouble(ClassifierThroughputBenchmark::cpuSeconds).sum();
            Cpu machine = Cpu.now();
            return new Sample(System.currentTimeMillis(), service == null ? 0 : ClassifierThroughputBenchmark.cpuSeconds(service),
                    serversCpu, ServiceMetrics.ownCpu() / 1e9, machine.busy(), machine.total());
        }

        /** The devstack's server processes: every process this one started. */
        static List<ProcessHandle> serverProcesses() {
            return ProcessHandle.current().descendants().toList();
        }

        /** The look at a moment between two looks, interpolated linearly (samples in time order). */
        static Sample at(List<Sample> samples, long millis) {
            Sample before = samples.get(0);
            for (Sample sample : samples) {
                if (sample.millis > millis) {
                    double f = sample.millis == before.millis ? 0 : (double) (millis - before.millis) / (sample.millis - before.millis);
                    f = Math.max(0, f);
                    return new Sample(millis, before.service + f * (sample.service - before.service),
                            before.servers + f * (sample.servers - before.servers), before.own + f * (sample.own - before.own),
                            before.busy + f * (sample.busy - before.busy), before.total + f * (sample.total - before.total));
                }
                before = sample;
            }
            return before;
        }

        /** Where the cores went between two looks. */
        static String cores(Sample from, Sample to) {
            double seconds = (to.millis - from.millis) / 1000.0;
            double ticks = to.total - from.total;
            int cores = Runtime.getRuntime().availableProcessors();
            double busy = ticks == 0 ? Double.NaN : cores * (to.busy - from.busy) / ticks;
            double service = (to.service - from.service) / seconds;
            double servers = (to.servers - from.servers) / seconds;
            double own = (to.own - from.own) / seconds;
            return String.format(Locale.ROOT, "cores busy %.2f of %d: service %.2f, devstack servers %.2f, benchmark process %.2f, "
                    + "everything else on the machine %.2f, over %.1f s", busy, cores, service, servers, own, busy - service - servers - own,
                    seconds);
        }
    }

    /**
     * Starts the packaged service with the given settings, waits for its {@code count} outputs and times it from its first
     * output to its last (their Kafka timestamps). The service publishes a batch's outputs together once the whole batch
     * is labelled, so the first output comes with the rest of its batch, labelled before it: the rate counts the prompts
     * labelled in the timed span (each output's {@code classifiedAt}, stamped when the backend answered; the service's
     * clock, as the timestamps).
     */
    private static Run runService(DevStack devStack, Path jar, Map<String, String> settings, int count) throws Exception {
        String bootstrap = devStack.endpoints().kafkaBootstrapServers();
        String deadLetterTopic = Topics.deadLetterOf(Topics.PROMPTS_INGESTED);
        try (KafkaConsumer<String, byte[]> offsets = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> classifiedFrom = ends(offsets, Topics.PROMPTS_CLASSIFIED);
            long classifiedBefore = sum(classifiedFrom);
            long deadBefore = sum(offsets, deadLetterTopic);
            try (ServiceProcess process = ServiceProcess.start(jar, "classifier-bench", devStack, settings, "2g")) {
                int port = process.port();
                Path log = process.log();
                List<ProcessHandle> servers = Sample.serverProcesses().stream().filter(handle -> handle.pid() != process.handle().pid()).toList();
                List<Sample> samples = new ArrayList<>();
                long first = 0;
                long lastProgress = System.nanoTime();
                long classified = 0;
                long dead = 0;
                Map<String, Long> threadsAtFirst = Map.of();
                String metricsAtFirst = "";
                List<Path> workers = List.of();
                int workerLooks = 0;
                long workersRunnable = 0;
                while (classified + dead < count) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the service exited; its log: " + log);
                    }
                    long now = System.nanoTime();
                    samples.add(Sample.of(process.handle(), servers));
                    long seen = sum(ends(offsets, Topics.PROMPTS_CLASSIFIED)) - classifiedBefore;
                    long seenDead = sum(offsets, deadLetterTopic) - deadBefore;
                    if (seen + seenDead > classified + dead) {
                        lastProgress = now;
                    } else if (now - lastProgress > STALL.toNanos()) {
                        throw new IllegalStateException("no output for " + STALL + " after " + (seen + seenDead) + "; the service's log: " + log);
                    }
                    classified = seen;
                    dead = seenDead;
                    if (first == 0 && classified + dead > 0) {
                        first = now;
                        threadsAtFirst = ThreadCpu.of(process.handle().pid());
                        metricsAtFirst = scrape(port);
                        workers = ThreadCpu.tasks(process.handle().pid(), "classifier-work");
                    } else if (first != 0 && classified + dead < count) {
                        workerLooks++;
                        workersRunnable += ThreadCpu.runnable(workers);
                    }
                    Thread.sleep(POLL.toMillis());
                }
                long end = System.nanoTime();
                String metrics = metrics(metricsAtFirst, first, scrape(port), end);
                String threads = ThreadCpu.since(threadsAtFirst, ThreadCpu.of(process.handle().pid()), (end - first) / 1e9)
                        + String.format(Locale.ROOT, "; classifier workers: %.2f of %d runnable (running or waiting for a core) "
                        + "on average over %d looks", (double) workersRunnable / Math.max(1, workerLooks), workers.size(), workerLooks);
                Thread.sleep(POLL.toMillis());
                samples.add(Sample.of(process.handle(), servers));

                Outputs outputs = outputs(bootstrap, classifiedFrom);
                double seconds = (outputs.last - outputs.first) / 1000.0;
                Sample from = Sample.at(samples, outputs.first);
                Sample to = Sample.at(samples, outputs.last);
                double serviceCores = (to.service - from.service) / seconds;
                Files.deleteIfExists(log);
                return new Run((classified - outputs.before) / seconds, classified, dead, seconds, outputs.before, serviceCores,
                        Sample.cores(from, to) + ", load average " + Cpu.load(), threads,
                        "  outputs published in " + outputs.bursts.size() + " bursts of " + outputs.bursts + "\n" + metrics);
            }
        }
    }

    /**
     * The first and last output's timestamps (epoch milliseconds), how many prompts were labelled before the first, and
     * the bursts the outputs came in (outputs less than 100 ms apart are one burst): one per batch, or fewer when
     * batches finish together.
     */
    record Outputs(long first, long last, long before, List<Integer> bursts) {
    }

    private static Outputs outputs(String bootstrap, Map<TopicPartition, Long> from) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<Instant> labelled = new ArrayList<>();
        List<Long> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> ends = consumer.endOffsets(from.keySet());
            while (from.keySet().stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    labelled.add(EventCodec.decode(record.value(), ClassifiedPrompt.class).classifiedAt());
                    published.add(record.timestamp());
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                }
            }
        }
        Instant start = Instant.ofEpochMilli(first);
        published.sort(null);
        List<Integer> bursts = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < published.size(); i++) {
            if (i > 0 && published.get(i) - published.get(i - 1) >= 100) {
                bursts.add(size);
                size = 0;
            }
            size++;
        }
        bursts.add(size);
        return new Outputs(first, last, labelled.stream().filter(at -> at.isBefore(start)).count(), bursts);
    }

    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private static String scrape(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * From the service's own meters, scraped at the first output and at the end: the backend's latency per prompt, and
     * the labelling calls in flight on average in between (the latencies' sum over the time): at the worker count, the
     * backend never waited for work.
     */
    private static String metrics(String atFirst, long firstNanos, String atEnd, long endNanos) {
        StringBuilder summary = new StringBuilder();
        double sum = ServiceMetrics.metric(atEnd, "misalign_classifier_backend_latency_seconds_sum");
        double calls = ServiceMetrics.metric(atEnd, "misalign_classifier_backend_latency_seconds_count");
        double inFlight = (sum - ServiceMetrics.metric(atFirst, "misalign_classifier_backend_latency_seconds_sum")) / ((endNanos - firstNanos) / 1e9);
        summary.append(String.format(Locale.ROOT, "  backend latency: %,.0f calls, mean %.1f ms, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; "
                + "from the first output to the last %.1f calls in flight on average%n", calls, 1000 * sum / calls,
                1000 * quantile(atEnd, "0.5"), 1000 * quantile(atEnd, "0.95"), 1000 * quantile(atEnd, "0.99"), inFlight));
        for (String line : atEnd.split("\n")) {
            if (!line.startsWith("#") && (line.contains("consumer_fetch_manager_records_per_request_avg") || line.startsWith("mp_messaging")
                    || line.startsWith("misalign_classifier_backend_errors") || line.startsWith("misalign_classifier_reasks"))) {
                summary.append("  ").append(line).append('\n');
            }
        }
        return summary.toString();
    }

    private static double quantile(String metrics, String quantile) {
        return ServiceMetrics.metric(metrics, "misalign_classifier_backend_latency_seconds{quantile=\"" + quantile + "\"");
    }

    private static Map<TopicPartition, Long> ends(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            return ends(consumer, topic);
        }
    }

    private static Map<TopicPartition, Long> ends(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        return consumer.endOffsets(partitions);
    }

    private static long sum(KafkaConsumer<String, byte[]> consumer, String topic) {
        return sum(ends(consumer, topic));
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** The whole machine's busy and total CPU time (all cores), from /proc/stat, and its load average: others share this machine. */
    private record Cpu(long busy, long total) {

        static Cpu now() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < Math.min(fields.length, 9); i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                return new Cpu(total - idle, total);
            } catch (IOException | RuntimeException e) {
                return new Cpu(0, 0);
            }
        }

        static String load() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            } catch (IOException e) {
                return "?";
            }
        }
    }

    /** CPU of a process's threads from /proc, grouped by thread name without its number: where the cores went. */
    private static final class ThreadCpu {

        private static final double TICKS_PER_SECOND = 100;

        static Map<String, Long> of(long pid) {
            Map<String, Long> ticks = new HashMap<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?[0-9]+$", "");
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return Map.of();
            }
            return ticks;
        }

        /** The stat files of a process's threads whose name starts so. */
        static List<Path> tasks(long pid, String name) {
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                return tasks.map(task -> task.resolve("stat")).filter(stat -> {
                    try {
                        return Files.readString(stat).contains("(" + name);
                    } catch (IOException e) {
                        return false;
                    }
                }).toList();
            } catch (IOException e) {
                return List.of();
            }
        }

        /** How many of these threads are running or waiting for a core (state R), rather than waiting for work. */
        static int runnable(List<Path> stats) {
            int runnable = 0;
            for (Path stat : stats) {
                try {
                    String text = Files.readString(stat);
                    if (text.charAt(text.lastIndexOf(')') + 2) == 'R') {
                        runnable++;
                    }
                } catch (IOException | RuntimeException e) {
                    // ended
                }
            }
            return runnable;
        }

        /** The busiest groups, in cores over the interval; a thread that ended meanwhile is not counted. */
        static String since(Map<String, Long> before, Map<String, Long> after, double seconds) {
            StringBuilder text = new StringBuilder();
            after.entrySet().stream()
                    .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
                    .filter(entry -> entry.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(8)
                    .forEach(entry -> text.append(text.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", entry.getKey(),
                            entry.getValue() / TICKS_PER_SECOND / seconds)));
            return text.toString();
        }
    }
}
