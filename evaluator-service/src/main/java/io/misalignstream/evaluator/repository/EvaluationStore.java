package io.misalignstream.evaluator.repository;

import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.EncodableText;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Verdict;
import io.misalignstream.evaluation.benchmark.PairLabels;
import io.misalignstream.evaluation.benchmark.VerdictObservation;
import io.misalignstream.evaluator.domain.StoredVerdict;
import io.misalignstream.evaluator.domain.WorkItem;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The evaluator's tables in PostgreSQL (schema: db/migration, applied by Flyway at start-up): the consumed pairs, the
 * runs with the pairs each is made over, and one verdict per (run, target, pair, polarity, repeat). Every write is an
 * upsert or an insert that ignores a row already there, so re-deliveries and resumed runs write nothing twice.
 * <p>
 * Every query is a {@link Uni} for its caller to compose; nothing waits for PostgreSQL. Hibernate Reactive works only on a
 * safe Vert.x context, which the REST resources and the Kafka listener are on; the evaluator's own threads (the targets'
 * workers, the scheduler) start their queries through {@link #isolated}.
 */
@ApplicationScoped
public class EvaluationStore {

    private static final String UPSERT_PAIR = """
            insert into evaluation_pairs (prompt_id, split, origin, semantic_type, safety_domain, value_domain, cultural_domain,
                               prompt, aligned, misaligned, stored_at)
            values (:promptId, :split, :origin, :semanticType, :safetyDomain, :valueDomain, :culturalDomain,
                    :prompt, :aligned, :misaligned, :storedAt)
            on conflict (prompt_id) do update set
                split = excluded.split, origin = excluded.origin, semantic_type = excluded.semantic_type,
                safety_domain = excluded.safety_domain, value_domain = excluded.value_domain,
                cultural_domain = excluded.cultural_domain, prompt = excluded.prompt, aligned = excluded.aligned,
                misaligned = excluded.misaligned, stored_at = excluded.stored_at
            where (evaluation_pairs.prompt, evaluation_pairs.aligned, evaluation_pairs.misaligned) is distinct from (excluded.prompt, excluded.aligned, excluded.misaligned)
            """;

    private static final String INSERT_VERDICT = """
            insert into evaluation_verdicts (run_id, target, prompt_id, polarity, repeat, verdict, answer, answered_at)
            values (:runId, :target, :promptId, :polarity, :repeat, :verdict, :answer, :answeredAt)
            on conflict do nothing
            """;

    private final Mutiny.SessionFactory sessions;

    private final Vertx vertx;

    public EvaluationStore(Mutiny.SessionFactory sessions, Vertx vertx) {
        this.sessions = sessions;
        this.vertx = vertx;
    }

    /**
     * The query, subscribed on a new Vert.x context of its own, marked safe as Hibernate Reactive requires; its result is
     * delivered there. For the service's own threads, which are on no context, and for a query started from another's
     * callback: Hibernate Reactive keeps an open session in the context, and two queries on one context would share it.
     */
    public <T> Uni<T> isolated(Supplier<Uni<T>> query) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> query.get().subscribe().with(emitter::complete, emitter::fail));
        });
    }

    /** Stores the pairs; with {@code streamingRun}, they join that run too. */
    public Uni<Void> storePairs(List<AcceptedPair> pairs, Optional<String> streamingRun) {
        Instant now = Instant.now();
        return sessions.withStatelessTransaction(session -> {
            Uni<Void> done = Uni.createFrom().voidItem();
            for (AcceptedPair pair : pairs) {
                done = done.chain(() -> session.createNativeQuery(UPSERT_PAIR)
                        .setParameter("promptId", pair.prompt().id())
                        .setParameter("split", pair.split().json())
                        .setParameter("origin", pair.prompt().lineage().origin().json())
                        .setParameter("semanticType", pair.labels().semanticType().json())
                        .setParameter("safetyDomain", pair.labels().safety().primary())
                        .setParameter("valueDomain", pair.labels().value().primary())
                        .setParameter("culturalDomain", pair.labels().cultural().primary())
                        .setParameter("prompt", pair.prompt().text())
                        .setParameter("aligned", pair.aligned().text())
                        .setParameter("misaligned", pair.misaligned().text())
                        .setParameter("storedAt", now)
                        .executeUpdate()).replaceWithVoid();
                if (streamingRun.isPresent()) {
                    done = done.chain(() -> session.createNativeQuery(
                                    "insert into evaluation_run_pairs (run_id, prompt_id) values (:runId, :promptId) on conflict do nothing")
                            .setParameter("runId", streamingRun.get())
                            .setParameter("promptId", pair.prompt().id())
                            .executeUpdate()).replaceWithVoid();
                }
            }
            return done;
        });
    }

    /** How many pairs the split holds now. */
    public Uni<Long> pairCount(String split) {
        return sessions.withStatelessSession(session -> session.createNativeQuery(
                        "select count(*) from evaluation_pairs where split = :split", Long.class)
                .setParameter("split", split)
                .getSingleResult());
    }

    /** Creates the run over the pairs its split holds now; the result is how many pairs that is. */
    public Uni<Integer> createRun(EvaluationRun run) {
        return sessions.withStatelessTransaction(session -> session.insert(run)
                .chain(() -> run.split == null ? Uni.createFrom().item(0) : session.createNativeQuery(
                                "insert into evaluation_run_pairs (run_id, prompt_id) select :runId, prompt_id from evaluation_pairs where split = :split")
                        .setParameter("runId", run.runId)
                        .setParameter("split", run.split)
                        .executeUpdate()));
    }

    /** The streaming run, created or brought up to the configured targets and repeats. */
    public Uni<Void> ensureStreamingRun(List<String> targets, int repeats) {
        return sessions.withStatelessTransaction(session -> session.createNativeQuery("""
                        insert into evaluation_runs (run_id, split, targets, repeats, state, created_at)
                        values (:runId, null, :targets, :repeats, :state, :now)
                        on conflict (run_id) do update set targets = excluded.targets, repeats = excluded.repeats
                        """)
                .setParameter("runId", EvaluationRun.STREAMING)
                .setParameter("targets", String.join(",", targets))
                .setParameter("repeats", repeats)
                .setParameter("state", EvaluationRun.State.STREAMING.name())
                .setParameter("now", Instant.now())
                .executeUpdate().replaceWithVoid());
    }

    public Uni<Optional<EvaluationRun>> run(String runId) {
        return sessions.withStatelessSession(session -> session.get(EvaluationRun.class, runId)).map(Optional::ofNullable);
    }

    public Uni<List<EvaluationRun>> runs() {
        return sessions.withStatelessSession(session -> session
                .createQuery("from EvaluationRun order by createdAt desc", EvaluationRun.class).getResultList());
    }

    public Uni<Void> finish(String runId) {
        return sessions.withStatelessTransaction(session -> session.createNativeQuery(
                        "update evaluation_runs set state = :state, finished_at = :now where run_id = :runId")
                .setParameter("state", EvaluationRun.State.FINISHED.name())
                .setParameter("now", Instant.now())
                .setParameter("runId", runId)
                .executeUpdate().replaceWithVoid());
    }

    /**
     * The questions of a run for one target that have no stored verdict yet; {@code promptIds} narrows them to those
     * pairs (the streaming run's new arrivals), empty means all of the run's pairs.
     */
    public Uni<List<WorkItem>> pending(EvaluationRun run, String target, Collection<String> promptIds) {
        String only = promptIds.isEmpty() ? "" : " and rp.prompt_id in (:ids)";
        return sessions.withStatelessSession(session -> {
            Mutiny.SelectionQuery<Object[]> pairsQuery = session.createNativeQuery(
                    "select p.prompt_id, p.prompt, p.aligned, p.misaligned from evaluation_run_pairs rp join evaluation_pairs p on p.prompt_id = rp.prompt_id"
                            + " where rp.run_id = :runId" + only + " order by p.prompt_id", Object[].class)
                    .setParameter("runId", run.runId);
            Mutiny.SelectionQuery<Object[]> answeredQuery = session.createNativeQuery(
                    "select prompt_id, polarity, repeat from evaluation_verdicts where run_id = :runId and target = :target"
                            + (promptIds.isEmpty() ? "" : " and prompt_id in (:ids)"), Object[].class)
                    .setParameter("runId", run.runId)
                    .setParameter("target", target);
            if (!promptIds.isEmpty()) {
                pairsQuery.setParameter("ids", promptIds);
                answeredQuery.setParameter("ids", promptIds);
            }
            return answeredQuery.getResultList().chain(answeredRows -> pairsQuery.getResultList().map(pairRows -> {
                Set<String> answered = new HashSet<>();
                for (Object[] row : answeredRows) {
                    answered.add(WorkItem.key((String) row[0], Polarity.fromJson((String) row[1]), ((Number) row[2]).intValue()));
                }
                List<WorkItem> items = new ArrayList<>();
                for (int repeat = 0; repeat < run.repeats; repeat++) {
                    for (Object[] row : pairRows) {
                        String promptId = (String) row[0];
                        for (Polarity polarity : Polarity.values()) {
                            String response = (String) (polarity == Polarity.ALIGNED ? row[2] : row[3]);
                            WorkItem item = new WorkItem(run.runId, target, promptId, polarity, repeat, (String) row[1], response);
                            if (!answered.contains(item.key())) {
                                items.add(item);
                            }
                        }
                    }
                }
                return items;
            }));
        });
    }

    /** Stores the verdicts in one transaction; one already stored stays as it was. */
    public Uni<Void> storeVerdicts(List<StoredVerdict> verdicts) {
        return sessions.withStatelessTransaction(session -> {
            Uni<Void> done = Uni.createFrom().voidItem();
            for (StoredVerdict verdict : verdicts) {
                WorkItem item = verdict.item();
                done = done.chain(() -> session.createNativeQuery(INSERT_VERDICT)
                        .setParameter("runId", item.runId())
                        .setParameter("target", item.target())
                        .setParameter("promptId", item.promptId())
                        .setParameter("polarity", item.polarity().json())
                        .setParameter("repeat", item.repeat())
                        .setParameter("verdict", verdict.verdict().json())
                        .setParameter("answer", storable(verdict.answer()))
                        .setParameter("answeredAt", verdict.answeredAt())
                        .executeUpdate()).replaceWithVoid();
            }
            return done;
        });
    }

    /**
     * A target's answer as PostgreSQL text can hold it: a NUL character (which text refuses) or an unpaired surrogate
     * becomes U+FFFD. Answers read by ChatEndpoint come repaired; an endpoint's refusal quoted as the answer does not.
     */
    static String storable(String answer) {
        return EncodableText.repaired(answer);
    }

    /** Every stored verdict of the run with the labels of its pair, for the metrics. */
    public Uni<List<VerdictObservation>> observations(String runId) {
        return sessions.withStatelessSession(session -> session.createNativeQuery("""
                        select v.target, v.repeat, v.polarity, v.verdict, p.safety_domain, p.value_domain, p.cultural_domain,
                               p.semantic_type, p.origin
                        from evaluation_verdicts v join evaluation_pairs p on p.prompt_id = v.prompt_id
                        where v.run_id = :runId
                        """, Object[].class)
                .setParameter("runId", runId)
                .getResultList()
                .map(rows -> rows.stream().map(row -> new VerdictObservation((String) row[0], ((Number) row[1]).intValue(),
                        Polarity.fromJson((String) row[2]),
                        new PairLabels((String) row[4], (String) row[5], (String) row[6], SemanticType.fromJson((String) row[7]),
                                Origin.fromJson((String) row[8])),
                        Verdict.fromJson((String) row[3]))).toList()));
    }

    /** Verdicts stored per target, and the run's pairs: its progress. */
    public Uni<Progress> progress(String runId) {
        return sessions.withStatelessSession(session -> session.createNativeQuery(
                        "select target, count(*) from evaluation_verdicts where run_id = :runId group by target order by target", Object[].class)
                .setParameter("runId", runId)
                .getResultList()
                .chain(rows -> session.createNativeQuery("select count(*) from evaluation_run_pairs where run_id = :runId", Long.class)
                        .setParameter("runId", runId)
                        .getSingleResult()
                        .map(pairs -> {
                            Map<String, Long> perTarget = new LinkedHashMap<>();
                            for (Object[] row : rows) {
                                perTarget.put((String) row[0], ((Number) row[1]).longValue());
                            }
                            return new Progress(pairs, perTarget);
                        })));
    }

    /** How far a run is: its pairs, and the verdicts stored per target. */
    public record Progress(long pairs, Map<String, Long> verdictsPerTarget) {
    }
}
