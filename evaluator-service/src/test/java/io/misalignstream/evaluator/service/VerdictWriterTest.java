package io.misalignstream.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.evaluator.domain.StoredVerdict;
import io.misalignstream.evaluator.domain.WorkItem;
import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.messaging.RetryOnContext;
import io.misalignstream.resilience.BackOff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer against a store whose transactions the test finishes: on a real Vert.x, without PostgreSQL. */
class VerdictWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    /** Each transaction waits for the test to finish it. */
    private final class HeldStore extends EvaluationStore {

        final List<List<StoredVerdict>> transactions = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<Void>> commits = new CopyOnWriteArrayList<>();

        HeldStore() {
            super(null, vertx);
        }

        @Override
        public Uni<Void> storeVerdicts(List<StoredVerdict> verdicts) {
            CompletableFuture<Void> commit = new CompletableFuture<>();
            transactions.add(List.copyOf(verdicts));
            commits.add(commit);
            return Uni.createFrom().completionStage(commit);
        }
    }

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    @Test
    void aVerdictIsStoredWhenItsTransactionCommitsAndNotBefore() throws Exception {
        HeldStore store = new HeldStore();
        VerdictWriter writer = writer(store);

        CompletableFuture<Void> stored = writer.write(verdict("p1"));
        Awaitility.await().atMost(WAIT).until(() -> store.commits.size() == 1);
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(stored).isNotDone();
        assertThat(writer.stored("run-1")).isZero();

        store.commits.get(0).complete(null);
        stored.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(writer.stored("run-1")).isEqualTo(1);
    }

    @Test
    void whatIsGivenDuringATransactionGoesIntoTheNextOne() throws Exception {
        HeldStore store = new HeldStore();
        VerdictWriter writer = writer(store);

        CompletableFuture<Void> first = writer.write(verdict("p1"));
        Awaitility.await().atMost(WAIT).until(() -> store.commits.size() == 1);
        List<CompletableFuture<Void>> later = List.of(writer.write(verdict("p2")), writer.write(verdict("p3")), writer.write(verdict("p4")));
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(store.transactions).hasSize(1);

        store.commits.get(0).complete(null);
        first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Awaitility.await().atMost(WAIT).until(() -> store.commits.size() == 2);
        assertThat(store.transactions.get(1)).extracting(verdict -> verdict.item().promptId()).containsExactly("p2", "p3", "p4");
        assertThat(later).noneMatch(CompletableFuture::isDone);
        store.commits.get(1).complete(null);
        CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(writer.stored("run-1")).isEqualTo(4);
    }

    @Test
    void aTransactionPostgresRefusedIsTriedAgainAndReadinessFollowsIt() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        EvaluationStore refusingOnce = new EvaluationStore(null, vertx) {
            @Override
            public Uni<Void> storeVerdicts(List<StoredVerdict> verdicts) {
                return tries.incrementAndGet() == 1 ? Uni.createFrom().failure(new IllegalStateException("connection refused"))
                        : Uni.createFrom().voidItem();
            }
        };
        VerdictWriter writer = writer(refusingOnce);

        writer.write(verdict("p1")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(tries).hasValue(2);
        assertThat(metrics.counter("misalign.evaluator.verdict.write.failures").count()).isEqualTo(1.0);
        assertThat(writer.storeAvailable()).isTrue();
        assertThat(writer.stored("run-1")).isEqualTo(1);
    }

    private VerdictWriter writer(EvaluationStore store) {
        return new VerdictWriter(store, new RetryOnContext(new BackOff(Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(30)), metrics);
    }

    private static StoredVerdict verdict(String promptId) {
        return new StoredVerdict(new WorkItem("run-1", "target-a", promptId, Polarity.ALIGNED, 0, "prompt", "response"),
                Verdict.ALIGNED, "aligned", Instant.now());
    }
}
