package io.misalignstream.evaluation.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AgreementReportTest {

    @Test
    void reportsTheShroutAndFleissExampleReadFromCsv() {
        StringBuilder csv = new StringBuilder("rater,item,score\n");
        for (int target = 0; target < IntraclassCorrelationTest.SHROUT_FLEISS.length; target++) {
            for (int judge = 0; judge < 4; judge++) {
                csv.append("judge").append(judge + 1).append(",target").append(target + 1).append(',')
                        .append(IntraclassCorrelationTest.SHROUT_FLEISS[target][judge]).append('\n');
            }
        }

        AgreementReport report = AgreementReport.of(RatingsTable.parseCsv(csv.toString()));

        assertThat(report.items()).isEqualTo(6);
        assertThat(report.raters()).isEqualTo(4);
        assertThat(report.icc1()).isCloseTo(0.17, within(0.005));
        assertThat(report.icc2()).isCloseTo(0.29, within(0.005));
        assertThat(report.icc3()).isCloseTo(0.71, within(0.005));
        assertThat(report.icc1k()).isCloseTo(0.44, within(0.005));
        assertThat(report.icc2k()).isCloseTo(0.62, within(0.005));
        assertThat(report.icc3k()).isCloseTo(0.91, within(0.005));
        // No group column: nothing demographic to say.
        assertThat(report.ds()).isNull();
        assertThat(report.dpd()).isNull();
        assertThat(report.eod()).isNull();
    }

    @Test
    void reportsTheDemographicStatisticsAndLeavesEqualizedOddsOutWithoutGold() {
        RatingsTable table = RatingsTable.parseCsv(DemographicDisparityTest.TABLE);

        AgreementReport withGold = AgreementReport.of(table, DemographicDisparityTest.GOLD);
        AgreementReport withoutGold = AgreementReport.of(table);

        assertThat(withGold.ds()).isCloseTo(0.5, within(1e-12));
        assertThat(withGold.dpd()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(withGold.eod()).isCloseTo(0.5, within(1e-12));
        assertThat(withoutGold.eod()).isNull();
        assertThat(withoutGold.ds()).isEqualTo(withGold.ds());
        assertThat(withGold.items()).isEqualTo(3);
        assertThat(withGold.raters()).isEqualTo(4);
    }

    @Test
    void writesItsFiguresUnderTheirJsonNames() throws Exception {
        AgreementReport report = new AgreementReport(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, null, null, 6, 4);

        JsonNode json = new ObjectMapper().valueToTree(report);

        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k", "ds", "dpd", "eod", "items", "raters");
        assertThat(json.get("icc2").asDouble()).isEqualTo(0.2);
        assertThat(json.get("dpd").isNull()).isTrue();
        assertThat(new ObjectMapper().treeToValue(json, AgreementReport.class)).isEqualTo(report);
        assertThat(json.get("raters").asInt()).isEqualTo(4);
    }
}
