package io.misalignstream.dedup;

import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.TestTopics;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The dedup tests' candidates, and what the service wrote for them, through the devstack's {@link TestTopics}. */
final class PipelineTopics implements AutoCloseable {

    /** Everything the service wrote, by prompt id (the dead letters by record key). */
    record Outputs(Map<String, List<UniquePrompt>> unique, Map<String, List<DuplicatePrompt>> duplicates,
                   Map<String, List<DeadLetter>> deadLetters) {

        int decided() {
            return unique.size() + duplicates.size() + deadLetters.size();
        }
    }

    private final TestTopics topics;

    PipelineTopics(String bootstrapServers) {
        this.topics = new TestTopics(bootstrapServers, Topics.PROMPTS_CANDIDATES);
    }
    static CandidatePrompt candidate(String id, String text) {
        Labels labels = new Labels(DimensionLabel.none(0.9), DimensionLabel.none(0.8), DimensionLabel.none(0.7),
                SemanticType.OBJECT, new Provenance("embedded", "test-model", "classify-v1"));
        return CandidatePrompt.of(new Prompt(id, text, Lineage.original(new Source("dedup-test", 1L)), Map.of()), labels);
    }

    /** Made-up words: two such sentences share too few character 3-grams to come within k of each other. */
    static String madeUpSentence(Random random, int words) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ");
            int length = 3 + random.nextInt(7);
            for (int c = 0; c < length; c++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    void send(CandidatePrompt candidate) {
        topics.send(candidate);
    }

    void sendAll(List<CandidatePrompt> candidates) {
        topics.sendAll(candidates);
    }

    void sendRaw(String key, byte[] value) {
        topics.sendRaw(key, value);
    }

    void sendRaw(String key, String value) {
        topics.sendRaw(key, value);
    }

    /** Reads the three output topics from their beginning to their current end. */
    Outputs read() {
        return new Outputs(topics.byPromptId(Topics.PROMPTS_UNIQUE, UniquePrompt.class),
                topics.byPromptId(Topics.PROMPTS_DUPLICATES, DuplicatePrompt.class), topics.deadLetters());
    }

    @Override
    public void close() {
        topics.close();
    }
}
