package io.misalignstream.evaluator.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.evaluator.service.RunService;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.messaging.ConsumedBatch;
import io.misalignstream.messaging.DeadLetterChannel;
import io.misalignstream.messaging.DeadLetters;
import io.misalignstream.messaging.RetryOnContext;
import io.misalignstream.messaging.TransactionSplit;
import io.misalignstream.resilience.PostgresRefusal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Reads batches of {@code pairs.accepted} into the evaluator's store (the pairs runs are made over, each new one also
 * joining the streaming run) and has the streaming mode evaluate them; a record it cannot read, or whose pair PostgreSQL
 * refuses for what it holds, goes to {@code pairs.accepted.dlq} with the reason. A batch is acknowledged once stored, so a crash or an outage of
 * PostgreSQL loses nothing.
 */
@ApplicationScoped
public class AcceptedPairListener {

    private static final Logger LOG = Logger.getLogger(AcceptedPairListener.class);

    private final EvaluationStore store;
    private final RunService runs;
    private final RetryOnContext retry;
    private final DeadLetterChannel deadLetters;
    private final Counter storeFailures;
    private final BatchDrain drain;

    public AcceptedPairListener(EvaluationStore store, RunService runs, EvaluatorConfig config, DeadLetters deadLetters, MeterRegistry metrics,
                                BatchDrain drain,
                                @Channel(Channels.PAIRS_DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> unusable) {
        this.store = store;
        this.runs = runs;
        this.drain = drain;
        this.retry = new RetryOnContext(config.retry().backOff(), config.retry().storeTimeout());
        this.deadLetters = deadLetters.channel(unusable, "misalign.evaluator.dead.letters", "Accepted pairs sent to pairs.accepted.dlq");
        this.storeFailures = Counter.builder("misalign.evaluator.pair.write.failures")
                .description("Pair batches PostgreSQL could not take; each was tried again").register(metrics);
    }

    // Not @Blocking: Hibernate Reactive works on the consumer's Vert.x context.
    @Incoming(Channels.PAIRS)
    public Uni<Void> onAccepted(ConsumerRecords<String, byte[]> records) {
        // a stop waits for the write, while PostgreSQL is still open
        return drain.run(() -> {
            ConsumedBatch<AcceptedPair> batch = ConsumedBatch.decode(records, AcceptedPair.class, deadLetters);
            Context consumer = Vertx.currentContext();
            // at start-up, the streaming run the pairs join may not exist yet; go on on this consumer's context
            return Uni.createFrom().completionStage(runs.ready()).emitOn(task -> consumer.runOnContext(ignored -> task.run()))
                    .chain(() -> TransactionSplit.write(batch.events(), this::untilStored, PostgresRefusal::isForContent))
                    .invoke(refused -> refused.forEach(pair -> batch.deadLetter(pair.item(),
                            "PostgreSQL refused the pair: " + PostgresRefusal.reason(pair.error()), pair.error())))
                    .invoke(refused -> runs.streamed(batch.events().stream().filter(pair -> refused.stream().noneMatch(one -> one.item() == pair)).toList()))
                    .chain(() -> AcknowledgedPublisher.sendAll(batch.outputs()));
        });
    }

    /** The pairs stored in one transaction, tried again while PostgreSQL is unavailable; a refusal for content ends it. */
    private Uni<Void> untilStored(List<AcceptedPair> pairs) {
        return retry.untilDone(() -> store.storePairs(pairs, runs.streamingRun()), failure -> !PostgresRefusal.isForContent(failure), (failure, retryIn) -> {
            storeFailures.increment();
            LOG.warnf("cannot store %d pairs (%s); trying again in %d ms", pairs.size(), PostgresRefusal.reason(failure), retryIn.toMillis());
        });
    }
}
