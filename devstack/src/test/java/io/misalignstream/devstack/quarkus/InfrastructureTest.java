package io.misalignstream.devstack.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The three devstack servers, reached through the Quarkus extensions the services use. */
@QuarkusTest
@QuarkusTestResource(DevStackTestResource.class)
class InfrastructureTest {

    @Inject
    PromptRoundTrip roundTrip;

    @Inject
    RedisDataSource redis;

    @Test
    void aPromptMakesTheRoundTripThroughTheBroker() throws Exception {
        String id = "probe-" + UUID.randomUUID();
        IngestedPrompt sent = IngestedPrompt.of(
                new Prompt(id, "Is it rude to decline a wedding invitation by text?",
                        Lineage.original(new Source("infrastructure-test", 1L)), Map.of("locale", "en-GB")),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));

        roundTrip.send(sent).toCompletableFuture().get(30, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).until(() -> roundTrip.received(id) != null);
        assertThat(roundTrip.received(id)).isEqualTo(sent);
    }

    @Test
    void aRedisFunctionLoadsAndRuns() {
        String library = """
                #!lua name=devstack_probe
                redis.register_function('probe_add', function(keys, args)
                  return redis.call('INCRBY', keys[1], args[1])
                end)
                """;
        Response loaded = redis.execute("FUNCTION", "LOAD", "REPLACE", library);
        assertThat(loaded.toString()).isEqualTo("devstack_probe");

        String key = "probe:" + UUID.randomUUID();
        redis.execute("FCALL", "probe_add", "1", key, "5");
        Response total = redis.execute("FCALL", "probe_add", "1", key, "37");
        assertThat(total.toLong()).isEqualTo(42L);
    }

    @Test
    @RunOnVertxContext
    void hibernateReactivePersistsAndReads(UniAsserter asserter) {
        String id = UUID.randomUUID().toString();
        asserter.execute(() -> Panache.withTransaction(() -> {
            ProbeRecord record = new ProbeRecord();
            record.id = id;
            record.text = "persisted through Hibernate Reactive";
            return record.persist();
        }));
        asserter.assertThat(() -> Panache.withSession(() -> ProbeRecord.<ProbeRecord>findById(id)),
                found -> assertThat(found.text).isEqualTo("persisted through Hibernate Reactive"));
    }
}
