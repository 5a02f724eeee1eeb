package io.misalignstream.sampler.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.messaging.RetryOnContext;
import io.misalignstream.resilience.BackOff;
import io.misalignstream.sampler.config.SamplerConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes consumed pairs into the dataset. While PostgreSQL cannot take them (down, restarting, out of connections) the
 * write is tried again with back-off for as long as it takes, and the batch stays unacknowledged, so nothing is lost;
 * a pair PostgreSQL refuses for its content is handed back with the reason, to be dead-lettered.
 */
@ApplicationScoped
public class DatasetWriter {

    /** A pair the database refused for what it holds. */
    public record Refused(AcceptedPair pair, String reason, Throwable error) {
    }

    private static final Logger LOG = Logger.getLogger(DatasetWriter.class);

    private final DatasetStore store;
    private final RetryOnContext retry;
    private final Counter stored;
    private final Counter unchanged;
    private final Counter failures;

    public DatasetWriter(DatasetStore store, SamplerConfig config, MeterRegistry metrics) {
        this.store = store;
        this.retry = new RetryOnContext(new BackOff(config.dataset().retryInitialDelay(), config.dataset().retryMaxDelay()),
                config.dataset().writeTimeout());
        this.stored = Counter.builder("misalign.sampler.dataset.writes").tag("outcome", "stored")
                .description("Pairs inserted into the dataset or changed in it").register(metrics);
        this.unchanged = Counter.builder("misalign.sampler.dataset.writes").tag("outcome", "unchanged")
                .description("Pairs delivered again as they were stored: no row written").register(metrics);
        this.failures = Counter.builder("misalign.sampler.dataset.write.failures")
                .description("Dataset writes that failed because PostgreSQL could not take them; each was tried again").register(metrics);
    }

    /** Stores the pairs; the result lists those PostgreSQL refused for their content (normally none). */
    public Uni<List<Refused>> write(List<AcceptedPair> pairs) {
        if (pairs.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return untilStored(pairs)
                .map(written -> List.<Refused>of())
                .onFailure(DatasetWriter::refusedForContent).recoverWithUni(batchRefused -> pairs.size() == 1
                        ? Uni.createFrom().item(List.of(new Refused(pairs.get(0), reason(batchRefused), batchRefused)))
                        // one pair spoilt the batch's transaction: find which, store the others
                        : Multi.createFrom().iterable(pairs)
                                .onItem().transformToUniAndConcatenate(pair -> write(List.of(pair)))
                                .collect().in(ArrayList<Refused>::new, List::addAll)
                                .map(refused -> (List<Refused>) refused));
    }

    private Uni<Integer> untilStored(List<AcceptedPair> pairs) {
        return retry.untilDone(() -> store.upsert(pairs), failure -> !refusedForContent(failure), (failure, retryIn) -> {
                    failures.increment();
                    LOG.warnf("cannot write %d pairs to the dataset (%s); trying again in %d ms", pairs.size(), reason(failure), retryIn.toMillis());
                })
                .invoke(written -> {
                    stored.increment(written);
                    unchanged.increment(pairs.size() - written);
                });
    }

    // SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): trying again cannot help.
    static boolean refusedForContent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null) {
                return pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23");
            }
        }
        return false;
    }

    private static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
