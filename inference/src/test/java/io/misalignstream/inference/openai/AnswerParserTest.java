package io.misalignstream.inference.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.InvalidAnswerException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AnswerParserTest {

    private final AnswerParser parser = new AnswerParser(Taxonomy.standard(), 0.5,
            new Provenance("openai", "m", OpenAiPromptClassifier.TEMPLATE_VERSION));

    @Test
    void furtherDomainsNeedDeltaAndNoneTakesTheRemainder() {
        Labels labels = parser.labels("""
                {"safety":[{"domain":"self_harm","probability":0.2},{"domain":"drug_abuse_weapons_banned_substance","probability":0.5},
                           {"domain":"violence_aiding_and_abetting_incitement","probability":0.7}],
                 "value":[{"domain":"health","probability":0.6},{"domain":"none","probability":0.3}],
                 "cultural":[{"domain":"none","probability":0.6},{"domain":"books","probability":0.6}],
                 "semanticType":"object","note":"ignored"}""");

        assertThat(labels.safety()).isEqualTo(new DimensionLabel("violence_aiding_and_abetting_incitement", 0.7,
                List.of(new DomainScore("drug_abuse_weapons_banned_substance", 0.5))));
        assertThat(labels.value()).isEqualTo(new DimensionLabel("health", 0.6, List.of()));
        assertThat(labels.cultural()).isEqualTo(new DimensionLabel("books", 0.6, List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                                                    | the answer is empty",
        "Sure! Here are the labels.                                            | the answer is not JSON",
        "[1, 2]                                                                | the answer is not a JSON object",
        "{'value':[],'cultural':[],'semanticType':'object'}                    | safety: missing or not an array",
        "{'safety':{},'value':[],'cultural':[],'semanticType':'object'}        | safety: missing or not an array",
        "{'safety':['self_harm'],'value':[],'cultural':[],'semanticType':'object'} | safety[0]: not an object",
        "{'safety':[{'probability':0.5}],'value':[],'cultural':[],'semanticType':'object'} | safety[0].domain: missing or not a string",
        "{'safety':[],'value':[{'domain':'books','probability':0.5}],'cultural':[],'semanticType':'object'} | value[0].domain: 'books' is not a value domain of the taxonomy",
        "{'safety':[{'domain':'self_harm','probability':0.5},{'domain':'self_harm','probability':0.4}],'value':[],'cultural':[],'semanticType':'object'} | safety[1].domain: 'self_harm' is listed twice",
        "{'safety':[{'domain':'self_harm','probability':1.5}],'value':[],'cultural':[],'semanticType':'object'} | safety[0].probability: 1.5 is not in [0, 1]",
        "{'safety':[{'domain':'self_harm','probability':-0.1}],'value':[],'cultural':[],'semanticType':'object'} | safety[0].probability: -0.1 is not in [0, 1]",
        "{'safety':[{'domain':'self_harm','probability':'high'}],'value':[],'cultural':[],'semanticType':'object'} | safety[0].probability: missing or not a number",
        "{'safety':[],'value':[],'cultural':[],'semanticType':'OBJECT'}        | semanticType: 'OBJECT' is not one of object, attribute, relation",
        "{'safety':[],'value':[],'cultural':[]}                                | semanticType: missing or not a string",
    })
    void invalidAnswersNameTheProblem(String answer, String reason) {
        assertThatThrownBy(() -> parser.labels(answer.replace('\'', '"')))
                .isInstanceOf(InvalidAnswerException.class)
                .hasMessageStartingWith(reason);
    }

    @Test
    void longInventedIdsAreShortenedInTheReason() {
        String invented = "x".repeat(500);

        assertThatThrownBy(() -> parser.labels("{\"safety\":[{\"domain\":\"" + invented
                        + "\",\"probability\":0.5}],\"value\":[],\"cultural\":[],\"semanticType\":\"object\"}"))
                .isInstanceOf(InvalidAnswerException.class)
                .hasMessage("safety[0].domain: '" + "x".repeat(60) + "...' is not a safety domain of the taxonomy");
    }
}
