package io.misalignstream.sampler.service;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.sampler.domain.DatasetStatistics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The dataset in PostgreSQL (schema: db/migration, applied by Flyway at start-up). A pair is written by an upsert on its
 * prompt id, so a re-delivered record never makes a second row; a record delivered again unchanged changes nothing.
 */
@ApplicationScoped
public class DatasetStore {

    private static final String UPSERT = """
            insert into pairs (prompt_id, split, origin, semantic_type, safety_domain, value_domain, cultural_domain,
                               accepted_at, stored_at, event)
            values (:promptId, :split, :origin, :semanticType, :safetyDomain, :valueDomain, :culturalDomain,
                    :acceptedAt, :storedAt, :event)
            on conflict (prompt_id) do update set
                split = excluded.split, origin = excluded.origin, semantic_type = excluded.semantic_type,
                safety_domain = excluded.safety_domain, value_domain = excluded.value_domain,
                cultural_domain = excluded.cultural_domain, accepted_at = excluded.accepted_at,
                stored_at = excluded.stored_at, event = excluded.event
            where pairs.event is distinct from excluded.event
            """;

    private static final Map<Dimension, String> DOMAIN_COLUMNS = Map.of(
            Dimension.SAFETY, "safety_domain", Dimension.VALUE, "value_domain", Dimension.CULTURAL, "cultural_domain");

    private final Mutiny.SessionFactory sessions;

    public DatasetStore(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Writes the pairs in one transaction; the result is how many rows were inserted or changed. */
    public Uni<Integer> upsert(List<AcceptedPair> pairs) {
        Instant storedAt = Instant.now();
        return sessions.withStatelessTransaction(session -> {
            Uni<Integer> written = Uni.createFrom().item(0);
            for (AcceptedPair pair : pairs) {
                written = written.chain(sum -> session.createNativeQuery(UPSERT)
                        .setParameter("promptId", pair.prompt().id())
                        .setParameter("split", pair.split().json())
                        .setParameter("origin", pair.prompt().lineage().origin().json())
                        .setParameter("semanticType", pair.labels().semanticType().json())
                        .setParameter("safetyDomain", pair.labels().safety().primary())
                        .setParameter("valueDomain", pair.labels().value().primary())
                        .setParameter("culturalDomain", pair.labels().cultural().primary())
                        .setParameter("acceptedAt", pair.acceptedAt())
                        .setParameter("storedAt", storedAt)
                        .setParameter("event", EventCodec.encodeToString(pair))
                        .executeUpdate()
                        .map(changed -> sum + changed));
            }
            return written;
        });
    }

    /** The stored record of a prompt's pair. */
    public Uni<Optional<String>> event(String promptId) {
        return sessions.withStatelessSession(session -> session.get(StoredPair.class, promptId))
                .map(row -> Optional.ofNullable(row).map(found -> found.event));
    }

    /** Up to {@code limit} rows of a split, in prompt id order, after the given id ({@code ""}: from the first). */
    public Uni<List<StoredPair>> page(String split, String afterPromptId, int limit) {
        return sessions.withStatelessSession(session -> session
                .createQuery("from StoredPair where split = :split and promptId > :after order by promptId", StoredPair.class)
                .setParameter("split", split)
                .setParameter("after", afterPromptId)
                .setMaxResults(limit)
                .getResultList());
    }

    public Uni<DatasetStatistics> statistics() {
        return sessions.withStatelessSession(session -> counts(session, "split")
                .chain(bySplit -> counts(session, "origin")
                        .chain(byOrigin -> counts(session, "semantic_type")
                                .chain(bySemanticType -> byDimension(session, new LinkedHashMap<>(), 0)
                                        .map(byDimension -> new DatasetStatistics(
                                                bySplit.values().stream().mapToLong(Long::longValue).sum(),
                                                bySplit, byOrigin, bySemanticType, byDimension))))));
    }

    private Uni<Map<String, Map<String, Long>>> byDimension(Mutiny.StatelessSession session,
                                                             Map<String, Map<String, Long>> done, int next) {
        if (next == Dimension.values().length) {
            return Uni.createFrom().item(done);
        }
        Dimension dimension = Dimension.values()[next];
        return counts(session, DOMAIN_COLUMNS.get(dimension)).chain(counts -> {
            done.put(dimension.json(), counts);
            return byDimension(session, done, next + 1);
        });
    }

    // column is one of this class's constants, never request input
    private static Uni<Map<String, Long>> counts(Mutiny.StatelessSession session, String column) {
        return session.createNativeQuery("select " + column + ", count(*) from pairs group by " + column + " order by " + column, Object[].class)
                .getResultList()
                .map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    for (Object[] row : rows) {
                        counts.put((String) row[0], ((Number) row[1]).longValue());
                    }
                    return counts;
                });
    }
}
