package io.misalignstream.sampler.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.PairResponse;
import java.util.List;

/**
 * One line of an exported split (JSON Lines). Every field is a string or a number in every line, never a nested object
 * or a list, so the Hugging Face {@code datasets} JSON loader infers one schema for the whole file; what is nested in
 * the record (labels with their probabilities, lineage, verdicts with rationales, metadata) travels as JSON text in
 * the {@code *_json} fields. The fields are documented in docs/dataset.md.
 */
@JsonPropertyOrder({"id", "prompt", "aligned", "misaligned", "split", "origin", "semantic_type",
        "safety_domain", "value_domain", "cultural_domain", "aligned_model", "misaligned_model", "judge_model",
        "aligned_attempts", "misaligned_attempts", "aligned_score", "misaligned_score", "accepted_at",
        "labels_json", "lineage_json", "aligned_verdicts_json", "misaligned_verdicts_json", "metadata_json"})
public record DatasetLine(
        String id,
        String prompt,
        String aligned,
        String misaligned,
        String split,
        String origin,
        @JsonProperty("semantic_type") String semanticType,
        @JsonProperty("safety_domain") String safetyDomain,
        @JsonProperty("value_domain") String valueDomain,
        @JsonProperty("cultural_domain") String culturalDomain,
        @JsonProperty("aligned_model") String alignedModel,
        @JsonProperty("misaligned_model") String misalignedModel,
        @JsonProperty("judge_model") String judgeModel,
        @JsonProperty("aligned_attempts") int alignedAttempts,
        @JsonProperty("misaligned_attempts") int misalignedAttempts,
        @JsonProperty("aligned_score") double alignedScore,
        @JsonProperty("misaligned_score") double misalignedScore,
        @JsonProperty("accepted_at") String acceptedAt,
        @JsonProperty("labels_json") String labelsJson,
        @JsonProperty("lineage_json") String lineageJson,
        @JsonProperty("aligned_verdicts_json") String alignedVerdictsJson,
        @JsonProperty("misaligned_verdicts_json") String misalignedVerdictsJson,
        @JsonProperty("metadata_json") String metadataJson) {

    public static DatasetLine of(AcceptedPair pair) {
        return new DatasetLine(
                pair.prompt().id(),
                pair.prompt().text(),
                pair.aligned().text(),
                pair.misaligned().text(),
                pair.split().json(),
                pair.prompt().lineage().origin().json(),
                pair.labels().semanticType().json(),
                pair.labels().safety().primary(),
                pair.labels().value().primary(),
                pair.labels().cultural().primary(),
                model(pair.aligned()),
                model(pair.misaligned()),
                judgeModel(pair),
                pair.aligned().attempts(),
                pair.misaligned().attempts(),
                meanScore(pair.aligned().verdicts()),
                meanScore(pair.misaligned().verdicts()),
                pair.acceptedAt().toString(),
                EventCodec.encodeToString(pair.labels()),
                EventCodec.encodeToString(pair.prompt().lineage()),
                EventCodec.encodeToString(pair.aligned().verdicts()),
                EventCodec.encodeToString(pair.misaligned().verdicts()),
                EventCodec.encodeToString(pair.prompt().metadata()));
    }

    private static String model(PairResponse response) {
        return response.generatedBy().backend() + ":" + response.generatedBy().model();
    }

    private static String judgeModel(AcceptedPair pair) {
        return pair.aligned().verdicts().stream().findFirst()
                .or(() -> pair.misaligned().verdicts().stream().findFirst())
                .map(verdict -> verdict.judgedBy().backend() + ":" + verdict.judgedBy().model())
                .orElse("");
    }

    // The mean over the labelled domains; 0 for a pair of a prompt labelled in no dimension (no verdicts).
    private static double meanScore(List<JudgeVerdict> verdicts) {
        return verdicts.stream().mapToDouble(JudgeVerdict::score).average().orElse(0);
    }
}
