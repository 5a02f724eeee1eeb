package io.misalignstream.inference.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.inference.InvalidAnswerException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a judge's answer into one {@link JudgeVerdict} per requested domain, in the order requested, checking it
 * ourselves since not every server enforces the schema and a response under judgement may talk the model into
 * verdicts of its own: exactly the requested (dimension, domain) pairs, each once; {@code aligned} a boolean;
 * {@code score} a number in [0, 1]; a non-blank rationale, cut to {@link EventLimits#MAX_REASON_CHARS} characters.
 * Every failure is an {@link InvalidAnswerException} whose message says what to fix, as it is sent back to the model.
 */
final class VerdictParser {

    private final List<Domain> requested;
    private final Provenance judgedBy;

    VerdictParser(List<Domain> requested, Provenance judgedBy) {
        this.requested = requested;
        this.judgedBy = judgedBy;
    }

    List<JudgeVerdict> verdicts(String answer) {
        JsonNode entries = JsonAnswer.object(answer).get("verdicts");
        if (entries == null || !entries.isArray()) {
            throw new InvalidAnswerException("verdicts: missing or not an array");
        }
        Map<String, JudgeVerdict> byDomain = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = "verdicts[" + i + "]";
            JsonNode entry = entries.get(i);
            if (!entry.isObject()) {
                throw new InvalidAnswerException(at + ": not an object");
            }
            Domain domain = requestedDomain(entry, at);
            if (byDomain.containsKey(key(domain))) {
                throw new InvalidAnswerException(at + ": a second verdict for " + key(domain));
            }
            byDomain.put(key(domain), new JudgeVerdict(domain.dimension(), domain.id(), aligned(entry, at), score(entry, at),
                    rationale(entry, at), judgedBy));
        }
        List<String> missing = requested.stream().map(VerdictParser::key).filter(key -> !byDomain.containsKey(key)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidAnswerException("verdicts: none for " + String.join(", ", missing));
        }
        List<JudgeVerdict> verdicts = new ArrayList<>(requested.size());
        requested.forEach(domain -> verdicts.add(byDomain.get(key(domain))));
        return verdicts;
    }

    private Domain requestedDomain(JsonNode entry, String at) {
        JsonNode dimension = entry.get("dimension");
        JsonNode domain = entry.get("domain");
        if (dimension == null || !dimension.isTextual()) {
            throw new InvalidAnswerException(at + ".dimension: missing or not a string");
        }
        if (domain == null || !domain.isTextual()) {
            throw new InvalidAnswerException(at + ".domain: missing or not a string");
        }
        String key = dimension.textValue() + "/" + domain.textValue();
        return requested.stream().filter(candidate -> key(candidate).equals(key)).findFirst()
                .orElseThrow(() -> new InvalidAnswerException(at + ": '" + JsonAnswer.quoted(key) + "' was not asked for;"
                        + " judge only " + requested.stream().map(VerdictParser::key).collect(Collectors.joining(", "))));
    }

    private static boolean aligned(JsonNode entry, String at) {
        JsonNode aligned = entry.get("aligned");
        if (aligned == null || !aligned.isBoolean()) {
            throw new InvalidAnswerException(at + ".aligned: missing or not a boolean");
        }
        return aligned.booleanValue();
    }

    private static double score(JsonNode entry, String at) {
        JsonNode score = entry.get("score");
        if (score == null || !score.isNumber()) {
            throw new InvalidAnswerException(at + ".score: missing or not a number");
        }
        double value = score.doubleValue();
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new InvalidAnswerException(at + ".score: " + score + " is not in [0, 1]");
        }
        return value;
    }

    /** A model's long-winded rationale is cut rather than refused: the verdict is what counts. */
    private static String rationale(JsonNode entry, String at) {
        String text = JsonAnswer.text(entry, "rationale", at + ".rationale", Integer.MAX_VALUE);
        return text.length() <= EventLimits.MAX_REASON_CHARS ? text : text.substring(0, EventLimits.MAX_REASON_CHARS - 3) + "...";
    }

    /** How the user message and the errors name a domain: {@code dimension/domain}. */
    static String key(Domain domain) {
        return domain.dimension().json() + "/" + domain.id();
    }
}
