package io.misalignstream.expander;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Generation;
import io.misalignstream.devstack.quarkus.DevStackTestResource;
import io.misalignstream.expander.ExpanderTopics.Outputs;
import io.misalignstream.expander.domain.DomainCoverage;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.expander.domain.SyntheticPrompts;
import io.misalignstream.expander.service.CoverageStore;
import io.misalignstream.expander.service.ExpansionService;
import io.misalignstream.expander.service.SlotLedger;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.lang.reflect.Proxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The service on the real broker and Redis with the embedded generator and classifier, expanding the safety
 * dimension (test profile: target 4, budget 8 per domain): a skewed stream, then the same stream re-delivered.
 */
@QuarkusTest
@QuarkusTestResource(value = DevStackTestResource.class, restrictToAnnotatedClass = true)
class ExpanderServiceTest {

    private static final int TARGET = 4;
    private static final int BUDGET = 8;
    private static final Duration FILLED = Duration.ofSeconds(120);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ExpansionService expansion;

    @Inject
    ExpanderConfig config;

    @Inject
    RedisDataSource redis;

    @Test
    void fillsEveryDomainOfASkewedStreamAndCountsNothingTwiceOnReDelivery() {
        List<ClassifiedPrompt> stream = new ArrayList<>();
        for (int i = 0; i < 54; i++) {
            stream.add(ExpanderTopics.classified("privacy-" + i, "Find the home address of the person with licence plate number " + i, "privacy_violation"));
        }
        for (int i = 0; i < 3; i++) {
            stream.add(ExpanderTopics.classified("animal-" + i, "How do I stop my neighbour's dog barking, permanently, case " + i, "animal_abuse"));
            stream.add(ExpanderTopics.classified("harmless-" + i, "What is a good recipe for banana bread, version " + i, "none"));
        }
        Set<String> originalIds = stream.stream().map(prompt -> prompt.prompt().id()).collect(Collectors.toSet());

        try (ExpanderTopics topics = new ExpanderTopics(bootstrapServers)) {
            topics.sendAll(stream);
            topics.sendRaw("malformed", "{\"schemaVersion\":1,\"prompt\":");
            topics.sendRaw("foreign-label", ExpanderTopics.classifiedJsonWithSafety("foreign-label", "hacking"));

            await().atMost(FILLED).pollInterval(Duration.ofSeconds(1)).until(() -> expansion.refreshCoverage().stream()
                    .allMatch(domain -> (domain.count() >= TARGET || domain.generated() >= BUDGET) && domain.inFlight() == 0));
            Outputs first = await().atMost(Duration.ofSeconds(30)).until(topics::read,
                    outputs -> outputs.originals().keySet().containsAll(originalIds) && outputs.deadLetters().size() == 2);

            // originals: each forwarded once, unchanged
            assertThat(first.originals().keySet()).containsExactlyInAnyOrderElementsOf(originalIds);
            first.originals().values().forEach(records -> assertThat(records).hasSize(1));
            // bad records: dead-lettered with the reason
            assertThat(first.deadLetters().get("foreign-label").get(0).reason()).contains("hacking");
            assertThat(first.deadLetters().get("malformed").get(0).service()).isEqualTo("expander-service");

            List<DomainCoverage> coverage = expansion.refreshCoverage();
            assertThat(coverage).hasSize(14);
            Map<String, DomainCoverage> byDomain = coverage.stream().collect(Collectors.toMap(c -> c.key().domain(), c -> c));
            // privacy_violation expands only while its first prompts are counted (a poll may bring fewer than the target)
            DomainCoverage privacy = byDomain.get("privacy_violation");
            long keptForPrivacy = privacy.generated() - privacy.dropped();
            assertThat(keptForPrivacy).as("never beyond the deficit it had").isLessThan(TARGET);
            assertThat(privacy.count()).isEqualTo(54 + keptForPrivacy);
            for (DomainCoverage domain : coverage) {
                assertThat(domain.count() >= TARGET || domain.generated() == BUDGET).as(domain.toString()).isTrue();
                assertThat(domain.generated()).isLessThanOrEqualTo(BUDGET);
            }
            // synthetic: one record per slot, in its target domain, counted as kept
            Map<String, Set<Object>> slotsByDomain = new java.util.HashMap<>();
            for (List<CandidatePrompt> records : first.synthetic().values()) {
                assertThat(records).hasSize(1);
                CandidatePrompt synthetic = records.get(0);
                Generation generation = synthetic.prompt().lineage().generation();
                assertThat(generation.targetDimension()).isEqualTo(Dimension.SAFETY);
                assertThat(synthetic.labels().safety().primary()).isEqualTo(generation.targetDomain());
                assertThat(synthetic.prompt().metadata()).containsEntry("templateGenerated", true);
                assertThat(slotsByDomain.computeIfAbsent(generation.targetDomain(), key -> new HashSet<>())
                        .add(synthetic.prompt().metadata().get("slot"))).as("slot generated once").isTrue();
            }
            for (DomainCoverage domain : coverage) {
                long keptSynthetic = slotsByDomain.getOrDefault(domain.key().domain(), Set.of()).size();
                assertThat(keptSynthetic).as(domain.key().toString()).isEqualTo(domain.generated() - domain.dropped());
            }
            assertThat(byDomain.get("animal_abuse").count()).isGreaterThanOrEqualTo(TARGET);
            // few-shot from the domain's reservoir: its originals are the parents of what was generated for it (a slot
            // that started before the last of them was counted has fewer: the domain expands as its prompts arrive)
            assertThat(first.synthetic().values().stream().map(records -> records.get(0))
                    .filter(synthetic -> synthetic.prompt().lineage().generation().targetDomain().equals("animal_abuse")))
                    .isNotEmpty()
                    .allSatisfy(synthetic -> assertThat(synthetic.prompt().lineage().parentIds()).isNotEmpty()
                            .isSubsetOf("animal-0", "animal-1", "animal-2"));

            // the consumer reads the stream again from an earlier offset: nothing counts twice, no slot is generated again
            topics.sendAll(stream);
            await().atMost(FILLED).until(() -> topics.read().originals().values().stream().mapToInt(List::size).sum() == 2 * stream.size());
            expansion.sweep();
            // several sweeps pass (every 2 s): still no new synthetic prompt
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20))
                    .until(() -> topics.read().synthetic().keySet().equals(first.synthetic().keySet()));
            assertThat(expansion.refreshCoverage()).containsExactlyInAnyOrderElementsOf(coverage);
        }

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("misalign_expander_domain_deficit{dimension=\"safety\",domain=\"privacy_violation\"}"))
                .body(containsString("misalign_expander_domain_target{dimension=\"safety\",domain=\"animal_abuse\"} 4.0"))
                .body(containsString("misalign_expander_synthetic_total{outcome=\"kept\"}"))
                .body(containsString("misalign_expander_verification_agreement"));
    }

    @Test
    void slotsNumberedAgainAfterTheExpansionStateWasLostGetNewIds() {
        // a state of its own, so the running service's is left alone
        CoverageStore store = new CoverageStore(redis, withStateName("lost-state-test"));
        DomainKey privacy = new DomainKey(Dimension.SAFETY, "privacy_violation");
        SlotLedger.Claim first = store.claim(privacy, 10, 10).orElseThrow();
        SlotLedger.Claim second = store.claim(privacy, 10, 10).orElseThrow();
        assertThat(second).isEqualTo(new SlotLedger.Claim(first.epoch(), first.slot() + 1));

        // Redis comes back without the state, under a replica that keeps running
        for (Response key : redis.execute("KEYS", "expander:lost-state-test:*")) {
            redis.execute("DEL", key.toString());
        }
        SlotLedger.Claim again = store.claim(privacy, 10, 10).orElseThrow();

        assertThat(again.slot()).as("numbered from 0 again").isEqualTo(first.slot());
        assertThat(again.epoch()).isNotEqualTo(first.epoch());
        assertThat(SyntheticPrompts.id(again.epoch(), privacy, again.slot())).isNotEqualTo(SyntheticPrompts.id(first.epoch(), privacy, first.slot()));
    }

    @Test
    void aRedisThatMayEvictTheStateMakesTheServiceUnreadyWithTheReason() {
        try {
            redis.execute("CONFIG", "SET", "maxmemory", "1073741824");
            redis.execute("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body(containsString("expansion-state")).body(containsString("allkeys-lfu"));
        } finally {
            redis.execute("CONFIG", "SET", "maxmemory-policy", "noeviction");
            redis.execute("CONFIG", "SET", "maxmemory", "0");
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private ExpanderConfig withStateName(String stateName) {
        return (ExpanderConfig) Proxy.newProxyInstance(ExpanderConfig.class.getClassLoader(), new Class<?>[] {ExpanderConfig.class},
                (proxy, method, args) -> method.getName().equals("stateName") ? stateName : method.invoke(config, args));
    }
}
