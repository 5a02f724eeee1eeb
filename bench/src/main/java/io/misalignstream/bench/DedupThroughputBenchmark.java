package io.misalignstream.bench;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.ServiceProcess;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.simhash.IndexRegistry;
import io.misalignstream.simhash.RedisIndexStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * The dedup service end to end through Kafka, one replica (the packaged application as its own process):
 * N candidates of about 30 words, made from real prompts, are put on {@code prompts.candidates} first;
 * then the service drains them into {@code prompts.unique} and {@code prompts.duplicates}. Baseline of the
 * same run: a relay that reads the same records, decodes and re-encodes them and writes them to another
 * topic, acknowledged per batch as the service is: what Kafka and the codec alone allow on this machine.
 * The service runs twice on the same records: with its defaults, then with the rule before fingerprint
 * version 2 ({@code simhash1-char3}, Hamming distance alone) under another index name and consumer group.
 *
 * <p>Usage: {@code DedupThroughputBenchmark DATA_DIR SERVICE_JAR [N]}.
 */
public final class DedupThroughputBenchmark {

    private static final String RELAY_TOPIC = "bench.relay";

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        List<byte[]> candidates = candidates(data, count, new Random(20261123));
        DevStackOptions options = DevStackOptions.defaults().withEnvironment(Map.of());
        try (DevStack devStack = DevStack.start(options)) {
            String bootstrap = devStack.endpoints().kafkaBootstrapServers();
            createRelayTopic(bootstrap, options.partitions());
            long start = System.nanoTime();
            preload(bootstrap, candidates);
            System.out.printf(Locale.ROOT, "preloaded %,d candidates in %.1f s%n", count, (System.nanoTime() - start) / 1e9);

            double relay = relay(bootstrap, count);
            System.out.printf(Locale.ROOT, "relay baseline: %,.0f records/s%n", relay);

            Service service = runService(devStack, jar, bootstrap, count, Map.of());
            System.out.printf(Locale.ROOT, "dedup service: %,.0f prompts/s (%,d unique, %,d duplicates)%n",
                    service.rate, service.unique, service.duplicates);
            startIndex(devStack, "before", "simhash1-char3"); // prompts.unique has records now: the service would wait for a rebuild
            Service before = runService(devStack, jar, bootstrap, count, Map.of("DEDUP_FEATURES", "simhash1-char3",
                    "DEDUP_INDEX_NAME", "before", "MP_MESSAGING_INCOMING_CANDIDATES_GROUP_ID", "dedup-before"));
            System.out.printf(Locale.ROOT, "dedup service, simhash1-char3: %,.0f prompts/s (%,d unique, %,d duplicates)%n",
                    before.rate, before.unique, before.duplicates);
            System.out.println();
            System.out.println("| stage | prompts/s | ratio to relay |");
            System.out.println("| --- | --- | --- |");
            System.out.printf(Locale.ROOT, "| relay (consume, decode, encode, produce) | %,.0f | 1.00 |%n", relay);
            System.out.printf(Locale.ROOT, "| dedup-service, one replica | %,.0f | %.2f |%n", service.rate, service.rate / relay);
            System.out.printf(Locale.ROOT, "| dedup-service, one replica, simhash1-char3 (before) | %,.0f | %.2f |%n", before.rate,
                    before.rate / relay);
        }
    }

    /** About 30 words each: the first half of one real prompt and the first half of another. */
    static List<byte[]> candidates(Path data, int count, Random random) throws IOException {
        List<String> prompts = new ArrayList<>();
        NearDuplicateBenchmark.sources(data).values().forEach(prompts::addAll);
        Labels labels = new Labels(DimensionLabel.none(0.9), DimensionLabel.none(0.8), DimensionLabel.none(0.7),
                SemanticType.OBJECT, new Provenance("embedded", "bench", "classify-v1"));
        List<byte[]> candidates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String text = words(prompts.get(random.nextInt(prompts.size())), 15) + " "
                    + words(prompts.get(random.nextInt(prompts.size())), 15);
            String id = HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits((long) i);
            candidates.add(EventCodec.encode(CandidatePrompt.of(
                    new Prompt(id, text, Lineage.original(new Source("bench", i + 1L)), Map.of()), labels)));
        }
        return candidates;
    }

    private static String words(String text, int count) {
        String[] words = text.split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(count, words.length)));
    }

    private static void createRelayTopic(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(RELAY_TOPIC, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends every candidate; one whose delivery timed out (seen now and then on fresh topics of the devstack) is sent once more. */
    private static void preload(String bootstrap, List<byte[]> candidates) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            List<byte[]> failed = send(producer, candidates);
            if (!failed.isEmpty() && !send(producer, failed).isEmpty()) {
                throw new IllegalStateException("candidates could not be delivered twice");
            }
        }
    }

    private static List<byte[]> send(KafkaProducer<String, byte[]> producer, List<byte[]> candidates) throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (byte[] candidate : candidates) {
            String id = EventCodec.decode(candidate, CandidatePrompt.class).key();
            sent.add(producer.send(new ProducerRecord<>(Topics.PROMPTS_CANDIDATES, id, candidate)));
        }
        List<byte[]> failed = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed.add(candidates.get(i));
            }
        }
        return failed;
    }

    /** Reads every candidate, decodes and encodes it, writes it on, waits for each batch's acknowledgements, commits. */
    private static double relay(String bootstrap, int count) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-relay");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        long start = System.nanoTime();
        int relayed = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            consumer.subscribe(List.of(Topics.PROMPTS_CANDIDATES));
            while (relayed < count) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    CandidatePrompt candidate = EventCodec.decode(record.value(), CandidatePrompt.class);
                    sent.add(producer.send(new ProducerRecord<>(RELAY_TOPIC, candidate.key(), EventCodec.encode(candidate))));
                }
                for (Future<RecordMetadata> future : sent) {
                    future.get();
                }
                consumer.commitSync();
                relayed += records.count();
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    record Service(double rate, long unique, long duplicates) {
    }

    /** Starts the packaged service, and times it from its first output to its last. */
    private static Service runService(DevStack devStack, Path jar, String bootstrap, int count, Map<String, String> environment)
            throws Exception {
        try (KafkaConsumer<String, byte[]> offsets = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            // a second run adds to the outputs of the first
            long[] base = {ends(offsets, Topics.PROMPTS_UNIQUE), ends(offsets, Topics.PROMPTS_DUPLICATES)};
            try (ServiceProcess process = ServiceProcess.start(jar, "dedup-bench", devStack, environment, "2g")) {
                return drain(process, offsets, base, count);
            }
        }
    }

    /** Starts an empty index under this name, as the service does on an empty pipeline. */
    private static void startIndex(DevStack devStack, String name, String version) {
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(devStack.endpoints().redisUrl()));
        try {
            new RedisIndexStore(redis, name, RedisIndexStore.DEFAULT_BUCKETS, Duration.ofSeconds(30)).initialize(version + ":bench");
            new IndexRegistry(redis, name, Duration.ofSeconds(30)).mark();
        } finally {
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Waits until the service has decided every candidate: its outputs beyond {@code base} number them. */
    private static Service drain(ServiceProcess process, KafkaConsumer<String, byte[]> offsets, long[] base, int count) throws Exception {
        long first = 0;
        long[] outputs = {0, 0};
        while (outputs[0] + outputs[1] < count) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; its log: " + process.log());
            }
            outputs[0] = ends(offsets, Topics.PROMPTS_UNIQUE) - base[0];
            outputs[1] = ends(offsets, Topics.PROMPTS_DUPLICATES) - base[1];
            if (first == 0 && outputs[0] + outputs[1] > 0) {
                first = System.nanoTime();
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - first) / 1e9;
        printDecisionTime(process.port(), seconds);
        Files.deleteIfExists(process.log());
        return new Service(count / seconds, outputs[0], outputs[1]);
    }

    /** How much of the run the index calls took, from the service's own timer. */
    private static void printDecisionTime(int port, double seconds) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        double sum = metric(metrics, "misalign_dedup_index_call_seconds_sum");
        double count = metric(metrics, "misalign_dedup_index_call_seconds_count");
        System.out.printf(Locale.ROOT, "index calls: %,.0f batches, %.1f ms each, %.0f%% of the run%n", count, 1000 * sum / count,
                100 * sum / seconds);
    }

    private static double metric(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no metric " + name);
    }

    private static long ends(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
