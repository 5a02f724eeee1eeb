package io.misalignstream.devstack.quarkus;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.IngestedPrompt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import io.smallrye.reactive.messaging.kafka.Record;

/** Sends prompts to prompts.ingested through one channel and receives them through another. */
@ApplicationScoped
public class PromptRoundTrip {

    static final String OUT = "probe-out";
    static final String IN = "probe-in";

    private final Map<String, IngestedPrompt> received = new ConcurrentHashMap<>();

    @Inject
    @Channel(OUT)
    Emitter<Record<String, String>> emitter;

    CompletionStage<Void> send(IngestedPrompt prompt) {
        return emitter.send(Record.of(prompt.key(), EventCodec.encodeToString(prompt)));
    }

    @Incoming(IN)
    void receive(Record<String, String> record) {
        IngestedPrompt prompt = EventCodec.decode(record.value(), IngestedPrompt.class);
        if (prompt.key().equals(record.key())) {
            received.put(record.key(), prompt);
        }
    }

    IngestedPrompt received(String id) {
        return received.get(id);
    }
}
