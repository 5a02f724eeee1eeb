package io.misalignstream.classifier.rest;

import io.misalignstream.classifier.config.FrontDoorConfig;
import io.misalignstream.classifier.listener.Channels;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.messaging.KafkaOutput;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes accepted prompts to {@code prompts.ingested}, keyed by prompt id, and waits until Kafka has them all. */
@ApplicationScoped
public class PromptPublisher {

    /** Kafka did not acknowledge every record: some may still have been written (ids make a retry harmless). */
    public static final class PublishException extends Exception {

        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Emitter<byte[]> emitter;
    private final Duration timeout;

    // Every request waits for its acknowledgements, so the buffer holds at most the requests in flight, each
    // bounded by front-door.max-request-bytes; a bounded buffer would refuse a 10,000-prompt request outright.
    public PromptPublisher(@Channel(Channels.FRONT_DOOR) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> emitter,
            FrontDoorConfig config) {
        this.emitter = emitter;
        this.timeout = config.publishTimeout();
    }

    public void publish(List<IngestedPrompt> prompts) throws PublishException, InterruptedException {
        List<CompletableFuture<Void>> sent = new ArrayList<>(prompts.size());
        try {
            for (IngestedPrompt prompt : prompts) {
                sent.add(send(prompt));
            }
        } catch (RuntimeException e) {
            // The channel is down (its sink failed or the application is stopping).
            throw new PublishException("cannot send to " + Topics.PROMPTS_INGESTED + ": " + e.getMessage(), e);
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new PublishException("Kafka refused a record of " + Topics.PROMPTS_INGESTED + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            long done = sent.stream().filter(future -> future.isDone() && !future.isCompletedExceptionally()).count();
            throw new PublishException("Kafka acknowledged " + done + " of " + sent.size() + " records within " + timeout.toSeconds() + " s", e);
        }
    }

    private CompletableFuture<Void> send(IngestedPrompt prompt) {
        return new KafkaOutput(emitter, prompt.key(), EventCodec.encode(prompt)).send();
    }
}
