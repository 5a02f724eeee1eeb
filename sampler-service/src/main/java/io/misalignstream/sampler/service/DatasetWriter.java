package io.misalignstream.sampler.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.messaging.RetryOnContext;
import io.misalignstream.messaging.TransactionSplit;
import io.misalignstream.resilience.BackOff;
import io.misalignstream.resilience.PostgresRefusal;
import io.misalignstream.sampler.config.SamplerConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
        return TransactionSplit.write(pairs, this::untilStored, PostgresRefusal::isForContent)
                .map(refused -> refused.stream()
                        .map(one -> new Refused(one.item(), PostgresRefusal.reason(one.error()), one.error())).toList());
    }

    private Uni<Integer> untilStored(List<AcceptedPair> pairs) {
        return retry.untilDone(() -> store.upsert(pairs), failure -> !PostgresRefusal.isForContent(failure), (failure, retryIn) -> {
                    failures.increment();
                    LOG.warnf("cannot write %d pairs to the dataset (%s); trying again in %d ms", pairs.size(),
                            PostgresRefusal.reason(failure), retryIn.toMillis());
                })
                .invoke(written -> {
                    stored.increment(written);
                    unchanged.increment(pairs.size() - written);
                });
    }
}
