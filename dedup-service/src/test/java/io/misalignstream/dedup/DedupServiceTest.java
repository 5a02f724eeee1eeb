package io.misalignstream.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.misalignstream.cli.dedup.TopicIndexRebuild;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.quarkus.DevStackTestResource;
import io.misalignstream.simhash.DedupScope;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.DuplicateRule;
import io.misalignstream.simhash.PromptSketcher;
import io.misalignstream.simhash.ScopeKind;
import io.misalignstream.simhash.SimHasher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.misalignstream.contracts.event.Dimension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service on real Kafka and Redis: decisions, bad input, re-delivery, metrics, and an index lost and rebuilt mid-stream. */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = true)
class DedupServiceTest {

    private static final int K = 10;
    static final DuplicateRule RULE = DuplicateRule.verified(K, DuplicateRule.DEFAULT_MIN_SIMILARITY);
    private static final Duration DECIDED = Duration.ofSeconds(90);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisUrl;

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void decidesNearDuplicatesAndDeadLettersWhatItCannotRead() {
        String base = "How do I keep my personal data safe when I connect to the public Wi-Fi in an airport lounge before a long flight?";
        try (PipelineTopics topics = new PipelineTopics(bootstrapServers)) {
            // records on different partitions have no order: the original is decided before its copies are sent
            topics.send(PipelineTopics.candidate("wifi-original", base));
            awaitDecided(topics, Set.of("wifi-original"));
            topics.sendAll(List.of(
                    PipelineTopics.candidate("wifi-typo", base.replace("connect", "conect")),
                    PipelineTopics.candidate("wifi-copy", base),
                    PipelineTopics.candidate("autumn-poem", "Write a short poem about the colour of autumn leaves in a quiet mountain village."),
                    PipelineTopics.candidate("one-word", "Photosynthesis"),
                    PipelineTopics.candidate("only-questions", "???"),
                    PipelineTopics.candidate("only-bangs", "!!!")));
            topics.sendRaw("broken-json", "{\"schemaVersion\": 1, \"prompt\": ");
            String withoutLabels = EventCodec.encodeToString(PipelineTopics.candidate("no-labels", "Tell me about tides."))
                    .replaceFirst(",\"labels\":\\{.*\\}\\}$", "}");
            topics.sendRaw("no-labels", withoutLabels);
            topics.sendRaw("megabyte", EventCodec.encodeToString(PipelineTopics.candidate("megabyte", "x"))
                    .replace("\"text\":\"x\"", "\"text\":\"" + "word ".repeat(200_000) + "\""));
            topics.sendRaw("not-utf8", new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
            topics.sendRaw("tombstone", (byte[]) null);

            Set<String> expected = Set.of("wifi-original", "wifi-typo", "wifi-copy", "autumn-poem", "one-word", "only-questions",
                    "only-bangs", "broken-json", "no-labels", "megabyte", "not-utf8", "tombstone");
            PipelineTopics.Outputs outputs = awaitDecided(topics, expected);

            assertThat(outputs.unique().keySet()).contains("wifi-original", "autumn-poem", "one-word", "only-questions", "only-bangs");
            DuplicatePrompt typo = outputs.duplicates().get("wifi-typo").get(0);
            assertThat(typo.matchedPromptId()).isEqualTo("wifi-original");
            assertThat(typo.hammingDistance()).isBetween(1, typo.threshold());
            assertThat(typo.threshold()).isGreaterThanOrEqualTo(K);
            assertThat(typo.similarity()).isBetween(RULE.minSimilarity(), 1.0);
            assertThat(typo.minSimilarity()).isEqualTo(RULE.minSimilarity());
            assertThat(typo.fingerprint().simhash()).isEqualTo(hex(new SimHasher(FingerprintConfig.DEFAULT).fingerprint(typo.prompt().text())));
            DuplicatePrompt copy = outputs.duplicates().get("wifi-copy").get(0);
            assertThat(copy.matchedPromptId()).isEqualTo("wifi-original");
            assertThat(copy.hammingDistance()).isZero();
            assertThat(outputs.unique().get("wifi-original").get(0).fingerprint().version()).isEqualTo("simhash2-char3");

            assertThat(reason(outputs, "broken-json")).isNotBlank();
            assertThat(reason(outputs, "no-labels")).contains("labels");
            assertThat(reason(outputs, "megabyte")).contains("prompt.text");
            DeadLetter notUtf8 = outputs.deadLetters().get("not-utf8").get(0);
            assertThat(notUtf8.payloadEncoding()).isEqualTo(DeadLetter.BASE64);
            assertThat(notUtf8.service()).isEqualTo("dedup-service");
            assertThat(reason(outputs, "tombstone")).contains("empty payload");
            assertThat(outputs.deadLetters().get("megabyte").get(0).sourceTopic()).isEqualTo("prompts.candidates");

            // the same prompts delivered again: the original decisions, never a prompt its own duplicate
            topics.sendAll(List.of(PipelineTopics.candidate("wifi-original", base), PipelineTopics.candidate("wifi-typo", base.replace("connect", "conect"))));
            await().atMost(DECIDED).until(() -> {
                PipelineTopics.Outputs again = topics.read();
                return again.unique().get("wifi-original").size() == 2 && again.duplicates().get("wifi-typo").size() == 2;
            });
            PipelineTopics.Outputs again = topics.read();
            assertThat(again.duplicates()).doesNotContainKey("wifi-original");
            assertThat(again.duplicates().get("wifi-typo").get(1)).isEqualTo(typo);

            // a known id with another text: dead-lettered with the reason, its decision and its text kept
            topics.send(PipelineTopics.candidate("wifi-original", "Give me a recipe for a simple tomato soup, variant 0."));
            await().atMost(DECIDED).until(() -> topics.read().deadLetters().containsKey("wifi-original"));
            assertThat(reason(topics.read(), "wifi-original")).contains("was decided for another text");
            assertThat(topics.read().unique().get("wifi-original")).hasSize(2).allMatch(unique -> unique.prompt().text().equals(base));
        }

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("misalign_dedup_prompts_total{decision=\"unique\""))
                .body(containsString("misalign_dedup_candidates_examined_total"))
                .body(containsString("misalign_dedup_lookups_total"))
                .body(containsString("misalign_dedup_index_call_seconds_count"))
                .body(containsString("misalign_dedup_dead_letters_total"));
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("near-duplicate index"));
    }

    /**
     * Redis loses the index while candidates stream in; the service holds its batches, the index is rebuilt from
     * the topics, and every decision afterwards is what an index that was never lost gives.
     */
    @Test
    void anIndexLostMidStreamIsRebuiltAndDecidesAsBefore() throws Exception {
        Random random = new Random(20261123);
        List<String> bases = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            bases.add(PipelineTopics.madeUpSentence(random, 16));
        }
        // before the loss: every base with two light edits
        List<CandidatePrompt> before = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(PipelineTopics.candidate("before-" + i, bases.get(i)));
            before.add(PipelineTopics.candidate("before-" + i + "-typo", typo(bases.get(i), random)));
            before.add(PipelineTopics.candidate("before-" + i + "-please", "Please " + bases.get(i)));
        }
        // around the loss: one edit of each earlier base, and new prompts; none near another of this part
        List<CandidatePrompt> during = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            during.add(PipelineTopics.candidate("during-edit-" + i, typo(bases.get(i), random) + " Thanks!"));
            if (i < 50) {
                during.add(PipelineTopics.candidate("during-new-" + i, bases.get(100 + i)));
            }
        }
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
        try (PipelineTopics topics = new PipelineTopics(bootstrapServers)) {
            topics.sendAll(before);
            PipelineTopics.Outputs first = awaitDecided(topics, ids(before));
            Map<String, Object> decidedBefore = decisions(first, ids(before));

            CompletableFuture<Void> streaming = CompletableFuture.runAsync(() -> {
                for (int from = 0; from < during.size(); from += 10) {
                    topics.sendAll(during.subList(from, Math.min(during.size(), from + 10)));
                    sleep(100);
                }
            });
            sleep(300);
            redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get();
            await().atMost(DECIDED).until(() -> given().get("/q/health/ready").statusCode() == 503
                    || topics.read().decided() == first.decided() + during.size());
            TopicIndexRebuild.Report report = new TopicIndexRebuild(bootstrapServers, redis,
                    new DedupScope("prompts", ScopeKind.GLOBAL, Dimension.SAFETY), FingerprintConfig.DEFAULT, 16_384,
                    Duration.ofSeconds(10)).run(false, Duration.ofSeconds(2), read -> { });
            assertThat(report.scopes()).containsKey("prompts");
            streaming.get();
            topics.sendAll(before); // re-delivered after the rebuild
            awaitDecided(topics, ids(during));
            await().atMost(DECIDED).pollInterval(Duration.ofMillis(500)).until(() -> {
                PipelineTopics.Outputs outputs = topics.read();
                return before.stream().map(candidate -> candidate.prompt().id()).allMatch(id ->
                        outputs.unique().getOrDefault(id, List.of()).size() + outputs.duplicates().getOrDefault(id, List.of()).size() >= 2);
            });
            PipelineTopics.Outputs after = topics.read();

            // the prompts decided before the loss get exactly their decisions back
            for (CandidatePrompt candidate : before) {
                String id = candidate.prompt().id();
                List<?> all = after.unique().containsKey(id) ? after.unique().get(id) : after.duplicates().get(id);
                assertThat(all).as(id).hasSizeGreaterThanOrEqualTo(2).allMatch(decision -> same(decision, decidedBefore.get(id)));
            }
            // the rest are decided as by an index that was never lost
            PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
            List<Candidate> reference = first.unique().values().stream()
                    .map(list -> sketcher.candidate(list.get(0).prompt().id(), list.get(0).prompt().text())).toList();
            for (CandidatePrompt candidate : during) {
                String id = candidate.prompt().id();
                Candidate sketch = sketcher.candidate(id, candidate.prompt().text());
                Candidate match = reference.stream().filter(stored -> RULE.matches(stored, sketch))
                        .min(Comparator.<Candidate>comparingInt(stored -> distance(stored, sketch)).thenComparing(Candidate::id)).orElse(null);
                if (match == null) {
                    assertThat(after.unique()).as(id).containsKey(id);
                    assertThat(after.duplicates()).as(id).doesNotContainKey(id);
                } else {
                    assertThat(after.duplicates()).as(id).containsKey(id);
                    assertThat(after.duplicates().get(id).get(0).matchedPromptId()).as(id).isEqualTo(match.id());
                    assertThat(after.duplicates().get(id).get(0).hammingDistance()).as(id).isEqualTo(distance(match, sketch));
                }
            }
            assertNoTwoUniqueNearDuplicates(after);
            assertThat(after.duplicates().keySet().stream().filter(id -> id.startsWith("during-edit-")).count())
                    .as("edits of earlier prompts found after the rebuild").isGreaterThan(50);
        } finally {
            redis.close();
        }
    }

    @Test
    void aRedisThatMayEvictTheIndexMakesTheServiceUnreadyWithTheReason() throws Exception {
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
        try {
            // what a cache's Redis looks like: a memory limit, any key evicted when it is reached
            redisCommand(redis, Command.CONFIG, "SET", "maxmemory", "1073741824");
            redisCommand(redis, Command.CONFIG, "SET", "maxmemory-policy", "allkeys-lru");
            String ready = given().when().get("/q/health/ready").then().statusCode(503).extract().asString();
            assertThat(ready).contains("near-duplicate index").contains("allkeys-lru").contains("noeviction");

            // evicting only keys with a TTL (the caches') leaves the index alone
            redisCommand(redis, Command.CONFIG, "SET", "maxmemory-policy", "volatile-lru");
            given().when().get("/q/health/ready").then().statusCode(200);
        } finally {
            redisCommand(redis, Command.CONFIG, "SET", "maxmemory-policy", "noeviction");
            redisCommand(redis, Command.CONFIG, "SET", "maxmemory", "0");
            redis.close();
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private static void redisCommand(Redis redis, Command command, String... arguments) throws Exception {
        Request request = Request.cmd(command);
        for (String argument : arguments) {
            request.arg(argument);
        }
        redis.send(request).toCompletionStage().toCompletableFuture().get();
    }

    /** No accepted prompt is a near-duplicate of another under the rule, whichever came first. */
    static void assertNoTwoUniqueNearDuplicates(PipelineTopics.Outputs outputs) {
        PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
        List<Candidate> accepted = outputs.unique().values().stream()
                .map(list -> sketcher.candidate(list.get(0).prompt().id(), list.get(0).prompt().text())).toList();
        for (int i = 0; i < accepted.size(); i++) {
            for (int j = i + 1; j < accepted.size(); j++) {
                assertThat(RULE.matchesInEitherOrder(accepted.get(i), accepted.get(j)))
                        .as("%s and %s both unique", accepted.get(i).id(), accepted.get(j).id()).isFalse();
            }
        }
    }

    private static int distance(Candidate a, Candidate b) {
        return Long.bitCount(a.fingerprint() ^ b.fingerprint());
    }

    private static boolean same(Object decision, Object original) {
        if (decision instanceof UniquePrompt unique && original instanceof UniquePrompt first) {
            return unique.fingerprint().equals(first.fingerprint());
        }
        if (decision instanceof DuplicatePrompt duplicate && original instanceof DuplicatePrompt first) {
            return duplicate.matchedPromptId().equals(first.matchedPromptId()) && duplicate.hammingDistance() == first.hammingDistance();
        }
        return false;
    }

    private static Map<String, Object> decisions(PipelineTopics.Outputs outputs, Set<String> ids) {
        return ids.stream().collect(Collectors.toMap(id -> id,
                id -> outputs.unique().containsKey(id) ? outputs.unique().get(id).get(0) : outputs.duplicates().get(id).get(0)));
    }

    private static PipelineTopics.Outputs awaitDecided(PipelineTopics topics, Set<String> ids) {
        await().atMost(DECIDED).pollInterval(Duration.ofMillis(500)).until(() -> {
            PipelineTopics.Outputs outputs = topics.read();
            return ids.stream().allMatch(id -> outputs.unique().containsKey(id) || outputs.duplicates().containsKey(id)
                    || outputs.deadLetters().containsKey(id));
        });
        return topics.read();
    }

    private static Set<String> ids(List<CandidatePrompt> candidates) {
        Set<String> ids = new HashSet<>();
        candidates.forEach(candidate -> ids.add(candidate.prompt().id()));
        return ids;
    }

    private static String reason(PipelineTopics.Outputs outputs, String key) {
        assertThat(outputs.deadLetters()).containsKey(key);
        return outputs.deadLetters().get(key).get(0).reason();
    }

    private static String hex(long fingerprint) {
        return java.util.HexFormat.of().toHexDigits(fingerprint);
    }

    /** One letter of one word dropped. */
    private static String typo(String text, Random random) {
        String[] words = text.split(" ");
        int at = 2 + random.nextInt(words.length - 4);
        words[at] = words[at].substring(0, words[at].length() - 1);
        return String.join(" ", words);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
