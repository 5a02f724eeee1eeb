package io.misalignstream.sampler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.PairResponse;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.cli.export.DatasetDownload;
import io.misalignstream.devstack.TopicReader;
import io.misalignstream.devstack.quarkus.DevStackTestResource;
import io.misalignstream.sampler.domain.DatasetLine;
import io.misalignstream.sampler.domain.Splits;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The dataset writer and its API on the real broker and PostgreSQL: pairs written to {@code pairs.accepted} are stored
 * once however often they are delivered, bad records are dead-lettered, an outage of PostgreSQL loses nothing, and
 * every split's export matches the stored rows.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = true)
class DatasetStoreTest {

    private static final String KEY = DatasetApi.KEY;
    private static final Duration STORED = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String postgresUrl;

    @TestHTTPResource("/")
    URL root;

    @Test
    void storesEachPairOnceSurvivesAnOutageOfPostgresAndExportsWhatItStored() throws Exception {
        List<AcceptedPair> pairs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pairs.add(pair("pair-" + i, i % 3 == 0 ? "privacy_violation" : "self_harm", i % 4 == 0 ? "honesty" : "none"));
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            pairs.forEach(pair -> send(producer, pair.prompt().id(), EventCodec.encode(pair)));
            send(producer, "malformed", "{\"schemaVersion\":1,\"prompt\":".getBytes(StandardCharsets.UTF_8));
            send(producer, "foreign-label", EventCodec.encodeToString(pair("foreign-label", "privacy_violation", "none"))
                    .replace("\"privacy_violation\"", "\"hacking\"").getBytes(StandardCharsets.UTF_8));
            awaitStored(60);

            // delivered again, and one pair sampled again with another text: still one row each, the latest text
            pairs.forEach(pair -> send(producer, pair.prompt().id(), EventCodec.encode(pair)));
            AcceptedPair resampled = withAlignedText(pairs.get(7), "A second, equally careful answer that declines and points to help.");
            send(producer, resampled.prompt().id(), EventCodec.encode(resampled));
            pairs.set(7, resampled);
            await().atMost(STORED).until(() -> storedEvent("pair-7").contains("A second, equally careful answer"));
            assertThat(rowCount()).isEqualTo(60);

            // a known id with another prompt text: refused (dead-lettered), never stored over the original
            String original = storedEvent("pair-8");
            AcceptedPair reused = withPromptText(pairs.get(8), "Give me a recipe for a simple tomato soup.");
            send(producer, reused.prompt().id(), EventCodec.encode(reused));
            await().atMost(STORED).until(() -> metric("misalign_sampler_dataset_dead_letters_total") >= 3);
            assertThat(storedEvent("pair-8")).isEqualTo(original);

            // PostgreSQL refuses every connection for a while: the writer waits and catches up
            try (Connection admin = admin()) {
                setConnectionsAllowed(admin, false);
                List<AcceptedPair> duringOutage = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    duringOutage.add(pair("outage-" + i, "self_harm", "none"));
                }
                duringOutage.forEach(pair -> send(producer, pair.prompt().id(), EventCodec.encode(pair)));
                await().atMost(STORED).until(() -> metric("misalign_sampler_dataset_write_failures_total") >= 2);
                setConnectionsAllowed(admin, true);
                pairs.addAll(duringOutage);
            }
            awaitStored(75);
        }
        assertThat(rowCount()).isEqualTo(75);

        // bad records: dead-lettered with the reason, never stored
        Map<String, DeadLetter> deadLetters = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicReader.readAll(bootstrapServers, Topics.deadLetterOf(Topics.PAIRS_ACCEPTED))) {
            deadLetters.put(record.key(), EventCodec.decode(record.value(), DeadLetter.class));
        }
        assertThat(deadLetters).containsOnlyKeys("malformed", "foreign-label", "pair-8");
        assertThat(deadLetters.get("foreign-label").reason()).contains("hacking");
        assertThat(deadLetters.get("pair-8").reason()).contains("prompt id pair-8 already holds another text");

        // statistics, one pair, and the API key
        Map<Split, Long> perSplit = pairs.stream().collect(Collectors.groupingBy(AcceptedPair::split, Collectors.counting()));
        given().header("X-API-Key", KEY).when().get("/dataset/statistics").then().statusCode(200)
                .body("pairs", equalTo(75))
                .body("bySplit.train", equalTo(perSplit.getOrDefault(Split.TRAIN, 0L).intValue()))
                .body("byOrigin.original", equalTo(75))
                .body("byDimension.safety.privacy_violation", equalTo(20))
                .body("byDimension.value.honesty", equalTo(15));
        given().header("X-API-Key", KEY).when().get("/dataset/pairs/pair-7").then().statusCode(200)
                .body("aligned.text", equalTo(resampledText()));
        given().header("X-API-Key", KEY).when().get("/dataset/pairs/absent").then().statusCode(404);
        given().when().get("/dataset/statistics").then().statusCode(401);
        given().header("X-API-Key", "wrong").when().get("/dataset/export?split=test").then().statusCode(401);
        given().header("X-API-Key", KEY).when().get("/dataset/export?split=holdout").then().statusCode(400);
        given().header("X-API-Key", KEY).when().get("/dataset/export?split=train").then().statusCode(200)
                .contentType(containsString("application/x-ndjson"));

        // every split exported by misalign export's download, line by line equal to the stored rows, together the whole dataset
        Map<String, String> storedEvents = storedEvents();
        DatasetDownload download = new DatasetDownload(root.toURI(), KEY, Duration.ofSeconds(30));
        Path exportDir = Files.createTempDirectory("dataset-export");
        int exported = 0;
        for (Split split : Split.values()) {
            assertThat(download.size(split)).isEqualTo(perSplit.getOrDefault(split, 0L));
            Path file = exportDir.resolve(split.json() + ".jsonl");
            long[] progress = {0};
            long written = download.download(split, file, lines -> progress[0] = lines);
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize((int) written);
            assertThat(progress[0]).isEqualTo(written);
            List<String> ids = new ArrayList<>();
            for (String line : lines) {
                JsonNode json = EventCodec.mapper().readTree(line);
                String id = json.get("id").asText();
                ids.add(id);
                AcceptedPair stored = EventCodec.decode(storedEvents.get(id), AcceptedPair.class);
                assertThat(stored.split()).isEqualTo(split);
                assertThat(EventCodec.mapper().treeToValue(json, DatasetLine.class)).isEqualTo(DatasetLine.of(stored));
                json.fields().forEachRemaining(field -> assertThat(field.getValue().isValueNode())
                        .as("%s is a plain value", field.getKey()).isTrue());
            }
            assertThat(ids).as("prompt id order").isSorted().doesNotHaveDuplicates();
            assertThat((long) ids.size()).isEqualTo(perSplit.getOrDefault(split, 0L));
            exported += ids.size();
        }
        assertThat(exported).isEqualTo(75);
        try (var files = Files.list(exportDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(exportDir);
        Map<String, AcceptedPair> sent = pairs.stream().collect(Collectors.toMap(pair -> pair.prompt().id(), pair -> pair));
        storedEvents.forEach((id, event) -> assertThat(EventCodec.decode(event, AcceptedPair.class)).isEqualTo(sent.get(id)));

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("misalign_sampler_dataset_writes_total{outcome=\"stored\"}"))
                .body(containsString("misalign_sampler_dataset_dead_letters_total 3.0"));
    }

    static AcceptedPair pair(String id, String safety, String value) {
        UniquePrompt prompt = SamplerTopics.unique(id, "Prompt " + id + ": how would someone find where a stranger lives", safety, value, "none");
        Provenance generator = new Provenance("openai", "generator-model", "respond-v1");
        Provenance judge = new Provenance("openai", "judge-model", "judge-v1");
        List<JudgeVerdict> aligned = new ArrayList<>();
        List<JudgeVerdict> misaligned = new ArrayList<>();
        for (Dimension dimension : prompt.labels().labelledDimensions()) {
            String domain = prompt.labels().of(dimension).primary();
            aligned.add(new JudgeVerdict(dimension, domain, true, 0.9, "declines and explains why", judge));
            misaligned.add(new JudgeVerdict(dimension, domain, false, 0.1, "complies with the request", judge));
        }
        SamplingParameters sampling = new SamplingParameters(0.7, 0.9, 512, 1L);
        return new AcceptedPair(1, prompt.prompt(), prompt.labels(),
                new PairResponse("I cannot help find a private person's address; here is why and what you can do instead.", generator, sampling, 1, aligned),
                new PairResponse("Sure, start with the public records and then watch the house for a few days.", generator, sampling, 2, misaligned),
                Splits.of(id), Instant.parse("2026-11-23T10:00:00Z").plus(id.length(), ChronoUnit.SECONDS));
    }

    private static AcceptedPair withAlignedText(AcceptedPair pair, String text) {
        PairResponse aligned = new PairResponse(text, pair.aligned().generatedBy(), pair.aligned().sampling(),
                pair.aligned().attempts() + 1, pair.aligned().verdicts());
        return new AcceptedPair(pair.schemaVersion(), pair.prompt(), pair.labels(), aligned, pair.misaligned(), pair.split(), pair.acceptedAt());
    }

    private static AcceptedPair withPromptText(AcceptedPair pair, String text) {
        Prompt prompt = new Prompt(pair.prompt().id(), text, pair.prompt().lineage(), pair.prompt().metadata());
        return new AcceptedPair(pair.schemaVersion(), prompt, pair.labels(), pair.aligned(), pair.misaligned(), pair.split(), pair.acceptedAt());
    }

    private static String resampledText() {
        return "A second, equally careful answer that declines and points to help.";
    }

    private void awaitStored(int rows) {
        await().atMost(STORED).pollInterval(Duration.ofMillis(500)).until(() -> rowCount() == rows);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.PAIRS_ACCEPTED, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot send to " + Topics.PAIRS_ACCEPTED, e);
        }
    }

    private double metric(String name) {
        String body = given().when().get("/q/metrics").then().extract().asString();
        return body.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .findFirst().orElse(0);
    }

    // The stored rows, read past the service, as the product's role.
    private Connection product() throws SQLException {
        Properties credentials = new Properties();
        credentials.put("user", org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class));
        credentials.put("password", org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class));
        return DriverManager.getConnection("jdbc:" + postgresUrl, credentials);
    }

    // The server's superuser (the devstack's server trusts local connections), to shut the product's database.
    private Connection admin() throws SQLException {
        URI uri = URI.create(postgresUrl);
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + "/postgres", "postgres", "");
    }

    private static void setConnectionsAllowed(Connection admin, boolean allowed) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("alter database misalign with allow_connections " + allowed);
            if (!allowed) {
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'misalign' and pid <> pg_backend_pid()");
            }
        }
    }

    private long rowCount() throws SQLException {
        try (Connection connection = product(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from pairs")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    private String storedEvent(String id) throws SQLException {
        return storedEvents().getOrDefault(id, "");
    }

    private Map<String, String> storedEvents() throws SQLException {
        Map<String, String> events = new HashMap<>();
        try (Connection connection = product(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select prompt_id, event from pairs")) {
            while (rows.next()) {
                events.put(rows.getString(1), rows.getString(2));
            }
        }
        return events;
    }
}
