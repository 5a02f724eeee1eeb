package io.misalignstream.bench;

import io.misalignstream.contracts.Topics;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.Pipeline;
import io.misalignstream.devstack.Pipeline.Stage;
import io.misalignstream.devstack.TopicReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The whole pipeline on the embedded defaults: the five packaged services as processes on the devstack, a real prompt
 * file ingested with {@code misalign ingest} before they start, and the stream timed from the first classified prompt
 * to the last pair or rejection (Kafka timestamps), beside each stage's busy span and CPU per record. The expander's
 * targets are 0 (no generation), so the figure is the pipeline's own pace on the originals, not the sweep interval's.
 */
public final class PipelineThroughputBenchmark {

    private static final String KEY = "bench-pipeline-key";
    private static final Map<Stage, List<String>> OUTPUTS = Map.of(
            Stage.CLASSIFIER, List.of(Topics.PROMPTS_CLASSIFIED),
            Stage.EXPANDER, List.of(Topics.PROMPTS_CANDIDATES),
            Stage.DEDUP, List.of(Topics.PROMPTS_UNIQUE, Topics.PROMPTS_DUPLICATES),
            Stage.SAMPLER, List.of(Topics.PAIRS_ACCEPTED, Topics.PAIRS_REJECTED),
            Stage.EVALUATOR, List.of(Topics.METRICS_EVENTS));

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        Path input = Path.of(args[1]);
        String textColumn = args.length > 2 ? args[2] : "prompt";
        try (DevStack devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()))) {
            String kafka = devStack.endpoints().kafkaBootstrapServers();
            Process ingest = new ProcessBuilder(home.resolve("misalign").toString(), "ingest", input.toString(), "--text-column", textColumn,
                    "--bootstrap-servers", kafka).inheritIO().start();
            if (ingest.waitFor() != 0) {
                throw new IllegalStateException("misalign ingest failed");
            }
            int ingested = TopicReader.readAll(kafka, Topics.PROMPTS_INGESTED).size();
            Map<Stage, Map<String, String>> environment = new EnumMap<>(Stage.class);
            for (Stage stage : Stage.values()) {
                environment.put(stage, new HashMap<>(Map.of("MISALIGN_API_KEYS", KEY)));
            }
            environment.get(Stage.EXPANDER).put("EXPANDER_TARGETS_ALL", "0");
            try (Pipeline pipeline = Pipeline.start(home, devStack, environment, Duration.ofMinutes(3))) {
                Map<Stage, ProcessHandle> processes = new EnumMap<>(Stage.class);
                for (Stage stage : Stage.values()) {
                    processes.put(stage, ProcessHandle.current().children()
                            .filter(child -> child.info().commandLine().orElse("").contains(stage.service() + "/target/quarkus-app"))
                            .findFirst().orElseThrow());
                }
                Map<Stage, Long> cpuAtReady = new EnumMap<>(Stage.class);
                processes.forEach((stage, process) -> cpuAtReady.put(stage, ServiceMetrics.cpu(process)));
                awaitDrained(kafka, pipeline);

                System.out.println();
                System.out.printf(Locale.ROOT, "%d prompts on %s; load average %.1f%n", ingested, Topics.PROMPTS_INGESTED,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                Map<String, long[]> spans = new LinkedHashMap<>();
                for (Stage stage : Stage.values()) {
                    for (String topic : OUTPUTS.get(stage)) {
                        spans.put(topic, span(kafka, topic));
                    }
                }
                long start = spans.get(Topics.PROMPTS_CLASSIFIED)[0];
                long end = Math.max(spans.get(Topics.PAIRS_ACCEPTED)[1], spans.get(Topics.PAIRS_REJECTED)[1]);
                long outcomes = spans.get(Topics.PAIRS_ACCEPTED)[2] + spans.get(Topics.PAIRS_REJECTED)[2];
                System.out.printf(Locale.ROOT, "whole pipeline: first classified prompt to last pair or rejection %.1f s: %.1f prompts/s ingested,"
                        + " %.1f sampled prompts/s (%d pairs, %d rejections, %d near-duplicates)%n", (end - start) / 1e3,
                        ingested / ((end - start) / 1e3), outcomes / ((end - start) / 1e3), spans.get(Topics.PAIRS_ACCEPTED)[2],
                        spans.get(Topics.PAIRS_REJECTED)[2], spans.get(Topics.PROMPTS_DUPLICATES)[2]);
                System.out.println();
                System.out.println("| stage | output records | first output after start (s) | last output after start (s) | CPU (core-seconds) | CPU per input record (ms) |");
                System.out.println("| --- | --- | --- | --- | --- | --- |");
                long inputs = ingested;
                for (Stage stage : Stage.values()) {
                    long records = 0;
                    long first = Long.MAX_VALUE;
                    long last = 0;
                    for (String topic : OUTPUTS.get(stage)) {
                        long[] span = spans.get(topic);
                        records += span[2];
                        if (span[2] > 0) {
                            first = Math.min(first, span[0]);
                            last = Math.max(last, span[1]);
                        }
                    }
                    double cpu = (ServiceMetrics.cpu(processes.get(stage)) - cpuAtReady.get(stage)) / 1e9;
                    System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2f |%n", stage.service(), records,
                            records == 0 ? Double.NaN : (first - start) / 1e3, records == 0 ? Double.NaN : (last - start) / 1e3, cpu,
                            inputs == 0 ? Double.NaN : 1e3 * cpu / inputs);
                    inputs = stage == Stage.DEDUP ? spans.get(Topics.PROMPTS_UNIQUE)[2] : stage == Stage.SAMPLER
                            ? spans.get(Topics.PAIRS_ACCEPTED)[2] : records;
                }
            }
        }
    }

    /** First and last Kafka timestamp of the topic, and its record count. */
    private static long[] span(String kafka, String topic) {
        long first = Long.MAX_VALUE;
        long last = 0;
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(kafka, topic);
        for (ConsumerRecord<String, byte[]> record : records) {
            first = Math.min(first, record.timestamp());
            last = Math.max(last, record.timestamp());
        }
        return new long[] {records.isEmpty() ? 0 : first, last, records.size()};
    }

    /** Until the terminal topics have not changed for 20 s and every group has caught up. */
    private static void awaitDrained(String kafka, Pipeline pipeline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long previous = -1;
        long stableSince = System.nanoTime();
        while (true) {
            if (pipeline.exited().isPresent()) {
                throw new IllegalStateException(pipeline.exited().get().service() + " exited");
            }
            long now = 0;
            for (String topic : List.of(Topics.PROMPTS_CLASSIFIED, Topics.PROMPTS_CANDIDATES, Topics.PROMPTS_UNIQUE,
                    Topics.PROMPTS_DUPLICATES, Topics.PAIRS_ACCEPTED, Topics.PAIRS_REJECTED)) {
                now = now * 31 + TopicReader.readAll(kafka, topic).size();
            }
            if (now != previous) {
                previous = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > Duration.ofSeconds(20).toNanos()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not drained in 30 minutes");
            }
            Thread.sleep(2000);
        }
    }
}
