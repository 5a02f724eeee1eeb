package io.misalignstream.classifier;

import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.TestTopics;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The classifier tests' prompts, and what the service wrote for them, through the devstack's {@link TestTopics}. */
public final class ClassifierTopics implements AutoCloseable {

    /** Everything the service wrote, by prompt id (the dead letters by record key). */
    public record Outputs(Map<String, List<ClassifiedPrompt>> classified, Map<String, List<DeadLetter>> deadLetters) {
    }

    private final TestTopics topics;

    public ClassifierTopics(String bootstrapServers) {
        this.topics = new TestTopics(bootstrapServers, Topics.PROMPTS_INGESTED);
    }

    public static IngestedPrompt ingested(String id, String text) {
        return IngestedPrompt.of(new Prompt(id, text, Lineage.original(new Source("classifier-test", 1L)), Map.of()), Instant.now());
    }

    public void send(IngestedPrompt prompt) {
        topics.send(prompt);
    }

    public void sendAll(List<IngestedPrompt> prompts) {
        topics.sendAll(prompts);
    }

    public void sendRaw(String key, byte[] value) {
        topics.sendRaw(key, value);
    }

    public void sendRaw(String key, String value) {
        topics.sendRaw(key, value);
    }

    /** Reads prompts.classified and prompts.ingested.dlq from their beginning to their current end. */
    public Outputs read() {
        return new Outputs(topics.byPromptId(Topics.PROMPTS_CLASSIFIED, ClassifiedPrompt.class), topics.deadLetters());
    }

    @Override
    public void close() {
        topics.close();
    }
}
