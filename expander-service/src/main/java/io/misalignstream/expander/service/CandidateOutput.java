package io.misalignstream.expander.service;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.expander.listener.Channels;
import io.misalignstream.messaging.KafkaOutput;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** The one emitter of {@code prompts.candidates}, shared by the listener (originals) and the expansion (synthetic prompts). */
@ApplicationScoped
public class CandidateOutput {

    private final Emitter<byte[]> emitter;

    // Every sender waits for its acknowledgements, so the buffer holds at most a batch plus the generations in flight.
    public CandidateOutput(@Channel(Channels.CANDIDATES) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public KafkaOutput of(CandidatePrompt candidate) {
        return KafkaOutput.of(emitter, candidate);
    }
}
