package io.misalignstream.sampler.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.RejectedPair;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.KafkaOutput;
import io.misalignstream.sampler.service.SamplingService;
import io.smallrye.reactive.messaging.annotations.Blocking;
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
 * Reads batches of {@code prompts.unique}, has each prompt sampled, and publishes it to {@code pairs.accepted} or
 * {@code pairs.rejected}; a record it cannot read or sample goes to {@code prompts.unique.dlq} with the reason. The batch
 * is acknowledged only once Kafka has every output, so a crash re-delivers it (and the request cache answers the calls
 * already paid for).
 */
@ApplicationScoped
public class UniquePromptListener {

    static final String SERVICE = "sampler-service";
    private static final Logger LOG = Logger.getLogger(UniquePromptListener.class);
    private static final int PUBLISH_ATTEMPTS = 3;

    private final SamplingService sampling;
    private final AcknowledgedPublisher publisher = new AcknowledgedPublisher(PUBLISH_ATTEMPTS);
    private final Counter deadLetters;

    // Every batch waits for its outputs, so what an emitter holds is bounded by the batch size.
    @Inject
    @Channel(Channels.ACCEPTED)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> accepted;

    @Inject
    @Channel(Channels.REJECTED)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejected;

    @Inject
    @Channel(Channels.UNIQUE_DEAD_LETTERS)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejectedRecords;

    public UniquePromptListener(SamplingService sampling, MeterRegistry metrics) {
        this.sampling = sampling;
        this.deadLetters = Counter.builder("misalign.sampler.dead.letters")
                .description("Unique prompts sent to prompts.unique.dlq").register(metrics);
    }

    @Incoming(Channels.UNIQUE)
    @Blocking
    public void onUnique(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<KafkaOutput> outputs = new ArrayList<>(records.count());
        List<ConsumerRecord<String, byte[]>> readable = new ArrayList<>(records.count());
        List<UniquePrompt> prompts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                prompts.add(EventCodec.decode(record.value(), UniquePrompt.class));
                readable.add(record);
            } catch (InvalidEventException e) {
                outputs.add(deadLetter(record, e.getMessage(), e));
            }
        }
        List<SamplingService.Sampled> results = sampling.sample(prompts);
        for (int i = 0; i < results.size(); i++) {
            SamplingService.Sampled result = results.get(i);
            if (result.event() instanceof AcceptedPair pair) {
                outputs.add(new KafkaOutput(accepted, pair.prompt().id(), EventCodec.encode(pair)));
            } else if (result.event() instanceof RejectedPair pair) {
                outputs.add(new KafkaOutput(rejected, pair.prompt().id(), EventCodec.encode(pair)));
            } else {
                outputs.add(deadLetter(readable.get(i), "sampling failed: " + result.failure().getMessage(), result.failure()));
            }
        }
        publisher.publishAll(outputs);
    }

    private KafkaOutput deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable error) {
        deadLetters.increment();
        LOG.warnf("dead-lettered %s (partition %d, offset %d): %s", record.key(), record.partition(), record.offset(), reason);
        return KafkaOutput.deadLetter(rejectedRecords, record, SERVICE, reason, error);
    }
}
