package io.misalignstream.expander.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.expander.domain.DomainKey;
import io.misalignstream.expander.service.CandidateOutput;
import io.misalignstream.expander.service.ExpansionService;
import io.misalignstream.expander.service.ObservationService;
import io.misalignstream.messaging.AcknowledgedPublisher;
import io.misalignstream.messaging.KafkaOutput;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    static final String SERVICE = "expander-service";
    private static final int PUBLISH_ATTEMPTS = 3;

    private final ObservationService observation;
    private final ExpansionService expansion;
    private final CandidateOutput candidates;
    private final AcknowledgedPublisher publisher = new AcknowledgedPublisher(PUBLISH_ATTEMPTS);
    private final Counter forwarded;
    private final Counter deadLetters;

    @Inject
    @Channel(Channels.CLASSIFIED_DEAD_LETTERS)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<byte[]> rejectedRecords;

    public ClassifiedPromptListener(ObservationService observation, ExpansionService expansion, CandidateOutput candidates,
                                    MeterRegistry metrics) {
        this.observation = observation;
        this.expansion = expansion;
        this.candidates = candidates;
        this.forwarded = Counter.builder("misalign.expander.forwarded")
                .description("Classified prompts forwarded to prompts.candidates").register(metrics);
        this.deadLetters = Counter.builder("misalign.expander.dead.letters")
                .description("Classified prompts sent to prompts.classified.dlq").register(metrics);
    }

    @Incoming(Channels.CLASSIFIED)
    @Blocking
    public void onClassified(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<KafkaOutput> outputs = new ArrayList<>(records.count());
        List<ClassifiedPrompt> prompts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                prompts.add(EventCodec.decode(record.value(), ClassifiedPrompt.class));
            } catch (InvalidEventException e) {
                deadLetters.increment();
                outputs.add(KafkaOutput.deadLetter(rejectedRecords, record, SERVICE, e.getMessage(), e));
            }
        }
        // Counted before forwarded: a crash in between re-delivers the batch, and counting again changes nothing.
        Set<DomainKey> touched = observation.observe(prompts);
        for (ClassifiedPrompt prompt : prompts) {
            outputs.add(candidates.of(CandidatePrompt.of(prompt.prompt(), prompt.labels())));
        }
        publisher.publishAll(outputs);
        forwarded.increment(prompts.size());
        expansion.due(touched);
    }
}
