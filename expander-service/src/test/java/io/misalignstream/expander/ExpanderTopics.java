package io.misalignstream.expander;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.devstack.TestTopics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The expander tests' classified prompts, and what the service wrote for them, through the devstack's {@link TestTopics}. */
final class ExpanderTopics implements AutoCloseable {

    /** Everything on prompts.candidates, split by origin, by prompt id; and the dead letters by key. */
    record Outputs(Map<String, List<CandidatePrompt>> originals, Map<String, List<CandidatePrompt>> synthetic,
                   Map<String, List<DeadLetter>> deadLetters) {
    }

    private final TestTopics topics;

    ExpanderTopics(String bootstrapServers) {
        this.topics = new TestTopics(bootstrapServers, Topics.PROMPTS_CLASSIFIED);
    }

    /** A prompt the classifier put in one safety domain (or none), value and cultural none. */
    static ClassifiedPrompt classified(String id, String text, String safetyDomain) {
        DimensionLabel safety = "none".equals(safetyDomain) ? DimensionLabel.none(0.9) : new DimensionLabel(safetyDomain, 0.9, List.of());
        Labels labels = new Labels(safety, DimensionLabel.none(0.8), DimensionLabel.none(0.8), SemanticType.OBJECT,
                new Provenance("embedded", "test-model", "test"));
        return ClassifiedPrompt.of(new Prompt(id, text, Lineage.original(new Source("expander-test", 1L)), Map.of()), labels, Instant.now());
    }

    /** The JSON of a classified prompt whose safety label is not a domain of the taxonomy. */
    static String classifiedJsonWithSafety(String id, String foreignDomain) {
        String valid = EventCodec.encodeToString(classified(id, "Explain how to break into a server", "privacy_violation"));
        return valid.replace("\"primary\":\"privacy_violation\"", "\"primary\":\"" + foreignDomain + "\"");
    }

    void sendAll(List<ClassifiedPrompt> prompts) {
        topics.sendAll(prompts);
    }

    void sendRaw(String key, String value) {
        topics.sendRaw(key, value);
    }

    Outputs read() {
        Map<String, List<CandidatePrompt>> originals = new LinkedHashMap<>();
        Map<String, List<CandidatePrompt>> synthetic = new LinkedHashMap<>();
        topics.byPromptId(Topics.PROMPTS_CANDIDATES, CandidatePrompt.class).forEach((id, candidates) -> candidates.forEach(candidate ->
                (candidate.prompt().lineage().origin() == Origin.SYNTHETIC ? synthetic : originals)
                        .computeIfAbsent(id, key -> new ArrayList<>()).add(candidate)));
        return new Outputs(originals, synthetic, topics.deadLetters());
    }

    @Override
    public void close() {
        topics.close();
    }
}
