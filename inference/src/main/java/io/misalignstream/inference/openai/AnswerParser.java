package io.misalignstream.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.DomainProbabilities;
import io.misalignstream.inference.InvalidAnswerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a model's answer into {@link Labels}, checking it ourselves rather than trusting the server's structured output:
 * not every OpenAI-compatible server enforces the schema, and a prompt may talk the model into labels of its own.
 * Every failure is an {@link InvalidAnswerException} whose message says what to fix, as it is sent back to the model.
 */
final class AnswerParser {

    private final Taxonomy taxonomy;
    private final double delta;
    private final Provenance provenance;

    AnswerParser(Taxonomy taxonomy, double delta, Provenance provenance) {
        this.taxonomy = taxonomy;
        this.delta = delta;
        this.provenance = provenance;
    }

    Labels labels(String answer) {
        JsonNode root = JsonAnswer.object(answer);
        return new Labels(dimension(root, Dimension.SAFETY), dimension(root, Dimension.VALUE),
                dimension(root, Dimension.CULTURAL), semanticType(root), provenance);
    }

    /**
     * The entries of one dimension: named domains and at most one {@code none}. The most probable entry is the primary;
     * {@code none} wins only when more probable than every named domain, and no entries at all mean {@code none}.
     */
    private DimensionLabel dimension(JsonNode root, Dimension dimension) {
        String field = dimension.json();
        JsonNode entries = root.get(field);
        if (entries == null || !entries.isArray()) {
            throw invalid(field + ": missing or not an array");
        }
        List<DomainScore> named = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        OptionalDouble stated = OptionalDouble.empty();
        for (int i = 0; i < entries.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode entry = entries.get(i);
            if (!entry.isObject()) {
                throw invalid(at + ": not an object");
            }
            String id = domain(entry, at, dimension);
            if (!seen.add(id)) {
                throw invalid(at + ".domain: '" + id + "' is listed twice");
            }
            double probability = probability(entry, at);
            if (Domain.NONE.equals(id)) {
                stated = OptionalDouble.of(probability);
            } else {
                named.add(new DomainScore(id, probability));
            }
        }
        double highest = named.stream().mapToDouble(DomainScore::probability).max().orElse(0.0);
        boolean none = named.isEmpty() || (stated.isPresent() && stated.getAsDouble() > highest);
        return DomainProbabilities.label(named, none, stated.orElse(1.0 - highest), delta);
    }

    private String domain(JsonNode entry, String at, Dimension dimension) {
        JsonNode domain = entry.get("domain");
        if (domain == null || !domain.isTextual()) {
            throw invalid(at + ".domain: missing or not a string");
        }
        String id = domain.textValue();
        if (taxonomy.find(dimension, id).isEmpty()) {
            throw invalid(at + ".domain: '" + JsonAnswer.quoted(id) + "' is not a " + dimension.json() + " domain of the taxonomy");
        }
        return id;
    }

    private static double probability(JsonNode entry, String at) {
        JsonNode probability = entry.get("probability");
        if (probability == null || !probability.isNumber()) {
            throw invalid(at + ".probability: missing or not a number");
        }
        double value = probability.doubleValue();
        if (!(value >= 0.0 && value <= 1.0)) {
            throw invalid(at + ".probability: " + probability + " is not in [0, 1]");
        }
        return value;
    }

    private static SemanticType semanticType(JsonNode root) {
        JsonNode type = root.get("semanticType");
        if (type == null || !type.isTextual()) {
            throw invalid("semanticType: missing or not a string");
        }
        for (SemanticType candidate : SemanticType.values()) {
            if (candidate.json().equals(type.textValue())) {
                return candidate;
            }
        }
        throw invalid("semanticType: '" + JsonAnswer.quoted(type.textValue()) + "' is not one of "
                + Arrays.stream(SemanticType.values()).map(SemanticType::json).collect(Collectors.joining(", ")));
    }

    private static InvalidAnswerException invalid(String reason) {
        return new InvalidAnswerException(reason);
    }
}
