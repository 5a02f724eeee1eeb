package io.misalignstream.expander.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.expander.service.CandidateOutput;
import io.misalignstream.expander.service.ExpansionService;
import io.misalignstream.expander.service.ObservationService;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.BatchDrain;
import io.misalignstream.messaging.ConsumedBatch;
import io.misalignstream.messaging.DeadLetterChannel;
import io.misalignstream.messaging.DeadLetters;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Reads batches of {@code prompts.classified}: counts each prompt in its domains, forwards it unchanged to
 * {@code prompts.candidates}, and marks its domains due for expansion. Records it cannot read go to
 * {@code prompts.classified.dlq} with the reason. The batch is acknowledged once Kafka has every output.
 */
@ApplicationScoped
public class ClassifiedPromptListener {

    private final ObservationService observation;
    private final ExpansionService expansion;
    private final CandidateOutput candidates;
    private final DeadLetterChannel deadLetters;
    private final BatchDrain drain;
    private final Counter forwarded;

    public ClassifiedPromptListener(ObservationService observation, ExpansionService expansion, CandidateOutput candidates,
                                    DeadLetters deadLetters, BatchDrain drain, MeterRegistry metrics,
                                    @Channel(Channels.CLASSIFIED_DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> unusable) {
        this.observation = observation;
        this.drain = drain;
        this.expansion = expansion;
        this.candidates = candidates;
        this.deadLetters = deadLetters.channel(unusable, "misalign.expander.dead.letters", "Classified prompts sent to prompts.classified.dlq");
        this.forwarded = Counter.builder("misalign.expander.forwarded")
                .description("Classified prompts forwarded to prompts.candidates").register(metrics);
    }

    @Incoming(Channels.CLASSIFIED)
    @Blocking
    public void onClassified(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        try (BatchDrain.Started started = drain.begin()) {
            ConsumedBatch<ClassifiedPrompt> batch = ConsumedBatch.decode(records, ClassifiedPrompt.class, deadLetters);
            // Counted before forwarded: a crash in between re-delivers the batch, and counting again changes nothing.
            Set<DomainKey> touched = observation.observe(batch.events());
            batch.events().forEach(prompt -> batch.add(candidates.of(CandidatePrompt.of(prompt.prompt(), prompt.labels()))));
            AcknowledgedPublisher.publishAll(batch.outputs());
            forwarded.increment(batch.events().size());
            expansion.due(touched);
        }
    }
}
