package io.misalignstream.sampler;

import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Fingerprint;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.RejectedPair;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.TestTopics;
import java.util.List;
import java.util.Map;

/** The sampler tests' unique prompts, and what the service wrote for them by prompt id, through the devstack's {@link TestTopics}. */
final class SamplerTopics implements AutoCloseable {

    record Outputs(Map<String, List<AcceptedPair>> accepted, Map<String, List<RejectedPair>> rejected,
                   Map<String, List<DeadLetter>> deadLetters) {

        int places(String id) {
            return accepted.getOrDefault(id, List.of()).size() + rejected.getOrDefault(id, List.of()).size()
                    + deadLetters.getOrDefault(id, List.of()).size();
        }
    }

    private final TestTopics topics;

    SamplerTopics(String bootstrapServers) {
        this.topics = new TestTopics(bootstrapServers, Topics.PROMPTS_UNIQUE);
    }

    /** A unique prompt labelled with the given primary domains (or none) in safety, value and cultural. */
    static UniquePrompt unique(String id, String text, String safety, String value, String cultural) {
        Labels labels = new Labels(label(safety), label(value), label(cultural), SemanticType.OBJECT,
                new Provenance("embedded", "test-model", "test"));
        return UniquePrompt.of(new Prompt(id, text, Lineage.original(new Source("sampler-test", 1L)), Map.of()), labels,
                new Fingerprint("00000000000000ff", "test"));
    }

    private static DimensionLabel label(String domain) {
        return "none".equals(domain) ? DimensionLabel.none(0.9) : new DimensionLabel(domain, 0.9, List.of());
    }

    void send(UniquePrompt prompt) {
        topics.send(prompt);
    }

    void sendRaw(String key, String value) {
        topics.sendRaw(key, value);
    }

    Outputs read() {
        return new Outputs(topics.byPromptId(Topics.PAIRS_ACCEPTED, AcceptedPair.class), topics.byPromptId(Topics.PAIRS_REJECTED, RejectedPair.class),
                topics.deadLetters());
    }

    @Override
    public void close() {
        topics.close();
    }
}
