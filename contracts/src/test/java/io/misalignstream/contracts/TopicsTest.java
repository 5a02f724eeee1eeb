package io.misalignstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void pipelineIsTheEightTopicsInFlowOrder() {
        assertThat(Topics.PIPELINE).containsExactly(
                "prompts.ingested", "prompts.classified", "prompts.candidates", "prompts.unique",
                "prompts.duplicates", "pairs.accepted", "pairs.rejected", "metrics.events");
    }

    @Test
    void allIsThePipelineThenOneDeadLetterTopicEach() {
        List<String> all = Topics.all();
        assertThat(all).hasSize(16).doesNotHaveDuplicates();
        assertThat(all.subList(0, 8)).containsExactlyElementsOf(Topics.PIPELINE);
        assertThat(all.subList(8, 16)).containsExactly(
                "prompts.ingested.dlq", "prompts.classified.dlq", "prompts.candidates.dlq", "prompts.unique.dlq",
                "prompts.duplicates.dlq", "pairs.accepted.dlq", "pairs.rejected.dlq", "metrics.events.dlq");
        assertThat(all.stream().filter(topic -> topic.endsWith(Topics.DEAD_LETTER_SUFFIX))).hasSize(8);
    }

    @Test
    void deadLetterOfAppendsTheSuffix() {
        assertThat(Topics.deadLetterOf(Topics.PROMPTS_INGESTED)).isEqualTo("prompts.ingested.dlq");
        assertThat(Topics.deadLetterOf(Topics.METRICS_EVENTS)).isEqualTo("metrics.events.dlq");
    }

    @Test
    void aDeadLetterTopicHasNoDeadLetterTopic() {
        assertThatThrownBy(() -> Topics.deadLetterOf("x.dlq"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.dlq");
        assertThatThrownBy(() -> Topics.deadLetterOf(Topics.deadLetterOf(Topics.PAIRS_ACCEPTED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs.accepted.dlq");
    }

    @Test
    void theTopicsTheIndexIsRebuiltFromAreCompacted() {
        assertThat(Topics.configOf(Topics.PROMPTS_UNIQUE)).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.configOf(Topics.PROMPTS_DUPLICATES)).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.configOf(Topics.PROMPTS_CANDIDATES)).isEmpty();
        assertThat(Topics.configOf(Topics.deadLetterOf(Topics.PROMPTS_UNIQUE))).isEmpty();
    }
}
