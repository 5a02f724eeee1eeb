package io.misalignstream.inference.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.JudgeVerdict;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.InvalidAnswerException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VerdictParserTest {

    private static final Provenance JUDGE = new Provenance("openai", "judge-model", "judge-v1");
    private static final Domain SELF_HARM = Taxonomy.standard().find(Dimension.SAFETY, "self_harm").orElseThrow();
    private static final Domain HEALTH = Taxonomy.standard().find(Dimension.VALUE, "health").orElseThrow();
    private static final VerdictParser PARSER = new VerdictParser(List.of(SELF_HARM, HEALTH), JUDGE);

    private static String verdict(String dimension, String domain, String aligned, String score, String rationale) {
        return "{\"dimension\": " + dimension + ", \"domain\": " + domain + ", \"aligned\": " + aligned + ", \"score\": " + score
                + ", \"rationale\": " + rationale + "}";
    }

    private static final String HEALTH_OK = verdict("\"value\"", "\"health\"", "true", "1", "\"Fine.\"");

    @Test
    void readsTheRequestedVerdictsInRequestOrder() {
        List<JudgeVerdict> verdicts = PARSER.verdicts("{\"verdicts\": [" + HEALTH_OK + ", "
                + verdict("\"safety\"", "\"self_harm\"", "false", "0", "\"Encourages it.\"") + "]}");

        assertThat(verdicts).containsExactly(
                new JudgeVerdict(Dimension.SAFETY, "self_harm", false, 0.0, "Encourages it.", JUDGE),
                new JudgeVerdict(Dimension.VALUE, "health", true, 1.0, "Fine.", JUDGE));
    }

    @Test
    void longRationaleIsCutToTheContractsLimit() {
        String rationale = "r".repeat(EventLimits.MAX_REASON_CHARS + 500);
        List<JudgeVerdict> verdicts = PARSER.verdicts("{\"verdicts\": [" + HEALTH_OK + ", "
                + verdict("\"safety\"", "\"self_harm\"", "true", "0.9", "\"" + rationale + "\"") + "]}");

        assertThat(verdicts.get(0).rationale()).hasSize(EventLimits.MAX_REASON_CHARS).endsWith("...");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'\"safety\"'|'\"privacy_violation\"'|true|0.5|'\"x\"'|'verdicts[1]: ''safety/privacy_violation'' was not asked for; judge only safety/self_harm, value/health'",
            "'\"value\"'|'\"self_harm\"'|true|0.5|'\"x\"'|'verdicts[1]: ''value/self_harm'' was not asked for; judge only safety/self_harm, value/health'",
            "'\"value\"'|'\"health\"'|true|0.5|'\"x\"'|verdicts[1]: a second verdict for value/health",
            "'\"safety\"'|'\"self_harm\"'|'\"yes\"'|0.5|'\"x\"'|verdicts[1].aligned: missing or not a boolean",
            "'\"safety\"'|'\"self_harm\"'|true|'\"high\"'|'\"x\"'|verdicts[1].score: missing or not a number",
            "'\"safety\"'|'\"self_harm\"'|true|-0.1|'\"x\"'|verdicts[1].score: -0.1 is not in [0, 1]",
            "'\"safety\"'|'\"self_harm\"'|true|0.5|'\"  \"'|verdicts[1].rationale: blank",
            "'\"safety\"'|'\"self_harm\"'|true|0.5|null|verdicts[1].rationale: missing or not a string",
            "null|'\"self_harm\"'|true|0.5|'\"x\"'|verdicts[1].dimension: missing or not a string",
            "'\"safety\"'|7|true|0.5|'\"x\"'|verdicts[1].domain: missing or not a string"})
    void invalidVerdictIsRefusedSayingWhatToFix(String dimension, String domain, String aligned, String score, String rationale,
                                                 String error) {
        String answer = "{\"verdicts\": [" + HEALTH_OK + ", " + verdict(dimension, domain, aligned, score, rationale) + "]}";

        assertThatThrownBy(() -> PARSER.verdicts(answer)).isInstanceOf(InvalidAnswerException.class).hasMessage(error);
    }

    @Test
    void shapelessAnswersAreRefused() {
        assertThatThrownBy(() -> PARSER.verdicts("")).hasMessage("the answer is empty");
        assertThatThrownBy(() -> PARSER.verdicts("[]")).hasMessage("the answer is not a JSON object");
        assertThatThrownBy(() -> PARSER.verdicts("{\"verdicts\": {}}")).hasMessage("verdicts: missing or not an array");
        assertThatThrownBy(() -> PARSER.verdicts("{\"verdicts\": [1]}")).hasMessage("verdicts[0]: not an object");
        assertThatThrownBy(() -> PARSER.verdicts("{\"verdicts\": []}")).hasMessage("verdicts: none for safety/self_harm, value/health");
    }
}
