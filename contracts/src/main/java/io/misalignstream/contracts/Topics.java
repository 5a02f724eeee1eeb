package io.misalignstream.contracts;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Every Kafka topic of the pipeline. The record key of the prompt and pair topics is the prompt id. */
public final class Topics {

    public static final String PROMPTS_INGESTED = "prompts.ingested";
    public static final String PROMPTS_CLASSIFIED = "prompts.classified";
    public static final String PROMPTS_CANDIDATES = "prompts.candidates";
    public static final String PROMPTS_UNIQUE = "prompts.unique";
    public static final String PROMPTS_DUPLICATES = "prompts.duplicates";
    public static final String PAIRS_ACCEPTED = "pairs.accepted";
    public static final String PAIRS_REJECTED = "pairs.rejected";
    /** Keyed by evaluation run id, not by prompt id. */
    public static final String METRICS_EVENTS = "metrics.events";

    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    /** The pipeline's topics in flow order. */
    public static final List<String> PIPELINE = List.of(
            PROMPTS_INGESTED, PROMPTS_CLASSIFIED, PROMPTS_CANDIDATES, PROMPTS_UNIQUE,
            PROMPTS_DUPLICATES, PAIRS_ACCEPTED, PAIRS_REJECTED, METRICS_EVENTS);

    /**
     * Topics kept by key rather than by age: the near-duplicate index is rebuilt from them
     * ({@code misalign dedup rebuild}), so every prompt's latest record must stay.
     */
    public static final Set<String> COMPACTED = Set.of(PROMPTS_UNIQUE, PROMPTS_DUPLICATES);

    private Topics() {
    }

    /** The topic-level configuration a topic is created with (Kafka's {@code cleanup.policy}). */
    public static Map<String, String> configOf(String topic) {
        return COMPACTED.contains(topic) ? Map.of("cleanup.policy", "compact") : Map.of();
    }

    /** The dead-letter topic of a topic: where its consumers put records they cannot process. */
    public static String deadLetterOf(String topic) {
        if (topic.endsWith(DEAD_LETTER_SUFFIX)) {
            throw new IllegalArgumentException("a dead-letter topic has no dead-letter topic: " + topic);
        }
        return topic + DEAD_LETTER_SUFFIX;
    }

    /** Every topic the devstack and the deployments create: the pipeline's and one dead-letter topic each. */
    public static List<String> all() {
        return Stream.concat(PIPELINE.stream(), PIPELINE.stream().map(Topics::deadLetterOf)).toList();
    }
}
