package io.misalignstream.evaluator.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import io.misalignstream.evaluator.service.EvaluationStore;
import io.misalignstream.evaluator.service.RunService;
import io.misalignstream.messaging.KafkaOutput;
import io.misalignstream.messaging.RetryOnContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Reads batches of {@code pairs.accepted} into the evaluator's store (the pairs runs are made over, each new one also
 * joining the streaming run) and has the streaming mode evaluate them; a record it cannot read goes to
 * {@code pairs.accepted.dlq} with the reason. A batch is acknowledged once stored, so a crash or an outage of
 * PostgreSQL loses nothing.
 */
@ApplicationScoped
public class AcceptedPairListener {

    static final String SERVICE = "evaluator-service";
    private static final Logger LOG = Logger.getLogger(AcceptedPairListener.class);
    private static final int PUBLISH_RETRIES = 2;

    private final EvaluationStore store;
    private final RunService runs;
    private final RetryOnContext retry;
    private final Counter deadLetters;
    private final Counter storeFailures;

    @Inject
    @Channel(Channels.PAIRS_DEAD_LETTERS)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejectedRecords;

    public AcceptedPairListener(EvaluationStore store, RunService runs, EvaluatorConfig config, MeterRegistry metrics) {
        this.store = store;
        this.runs = runs;
        this.retry = new RetryOnContext(config.retry().initialDelay(), config.retry().maxDelay(), config.retry().storeTimeout());
        this.deadLetters = Counter.builder("misalign.evaluator.dead.letters")
                .description("Accepted pairs sent to pairs.accepted.dlq").register(metrics);
        this.storeFailures = Counter.builder("misalign.evaluator.pair.write.failures")
                .description("Pair batches PostgreSQL could not take; each was tried again").register(metrics);
    }

    // Not @Blocking: Hibernate Reactive works on the consumer's Vert.x context.
    @Incoming(Channels.PAIRS)
    public Uni<Void> onAccepted(ConsumerRecords<String, byte[]> records) {
        List<KafkaOutput> letters = new ArrayList<>();
        List<AcceptedPair> pairs = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                pairs.add(EventCodec.decode(record.value(), AcceptedPair.class));
            } catch (InvalidEventException e) {
                deadLetters.increment();
                LOG.warnf("dead-lettered %s (partition %d, offset %d): %s", record.key(), record.partition(), record.offset(), e.getMessage());
                letters.add(KafkaOutput.deadLetter(rejectedRecords, record, SERVICE, e.getMessage(), e));
            }
        }
        Uni<Void> stored = pairs.isEmpty() ? Uni.createFrom().voidItem()
                : retry.untilDone(() -> store.storePairs(pairs, runs.streamingRun()), failure -> true, (failure, retryIn) -> {
                    storeFailures.increment();
                    LOG.warnf("cannot store %d pairs (%s); trying again in %d ms", pairs.size(), failure.getMessage(), retryIn.toMillis());
                });
        return stored
                .invoke(() -> runs.streamed(pairs))
                .chain(() -> KafkaOutput.sendAll(letters, PUBLISH_RETRIES));
    }
}
