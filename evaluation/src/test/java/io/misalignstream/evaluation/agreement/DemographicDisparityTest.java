package io.misalignstream.evaluation.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemographicDisparityTest {

    /**
     * Raters a1, a2 in group a and b1, b2 in group b; 1 = unsafe.
     * <pre>
     * item  a1 a2 | b1 b2   mean a  mean b  spread   gold
     * i1     1  1 |  0  1    1       0.5     0.5     unsafe
     * i2     0  0 |  0  1    0       0.5     0.5     safe
     * i3     1  0 |  1  1    0.5     1       0.5     unsafe
     * </pre>
     * DS = 0.5. P(flag | a) = 3/6, P(flag | b) = 4/6: DPD = 1/6. TPR a 3/4, b 3/4; FPR a 0/2, b 1/2: EOD = 1/2.
     */
    static final String TABLE = """
            item,rater,group,score
            i1,a1,a,1
            i1,a2,a,1
            i1,b1,b,0
            i1,b2,b,1
            i2,a1,a,0
            i2,a2,a,0
            i2,b1,b,0
            i2,b2,b,1
            i3,a1,a,1
            i3,a2,a,0
            i3,b1,b,1
            i3,b2,b,1
            """;
    static final Map<String, Boolean> GOLD = Map.of("i1", true, "i2", false, "i3", true);

    @Test
    void computesTheStatisticsOfAHandMadeTable() {
        RatingsTable table = RatingsTable.parseCsv(TABLE);

        assertThat(DemographicDisparity.sensitivity(table)).hasValueCloseTo(0.5, within(1e-12));
        assertThat(DemographicDisparity.parityDifference(table)).hasValueCloseTo(1.0 / 6, within(1e-12));
        assertThat(DemographicDisparity.equalizedOddsDifference(table, GOLD)).hasValueCloseTo(0.5, within(1e-12));
    }

    @Test
    void flagsAScoreAtTheThreshold() {
        RatingsTable table = RatingsTable.parseCsv("item,rater,group,score\ni1,r1,a,0.5\ni1,r2,b,0.49\n");

        assertThat(DemographicDisparity.parityDifference(table)).hasValue(1.0);
        assertThat(DemographicDisparity.sensitivity(table)).hasValueCloseTo(0.01, within(1e-12));
    }

    @Test
    void leavesItemsWithoutGoldOutOfTheEqualizedOdds() {
        RatingsTable table = RatingsTable.parseCsv(TABLE);

        // Only i2 (safe) has gold: no true-positive rates; FPR a 0, b 1/2.
        assertThat(DemographicDisparity.equalizedOddsDifference(table, Map.of("i2", false)))
                .hasValueCloseTo(0.5, within(1e-12));
        assertThat(DemographicDisparity.equalizedOddsDifference(table, Map.of())).isEmpty();
        assertThat(DemographicDisparity.equalizedOddsDifference(table, null)).isEmpty();
    }

    @Test
    void isEmptyWithoutGroupsOrWithOnlyOne() {
        RatingsTable ungrouped = RatingsTable.parseCsv("item,rater,score\ni1,r1,1\ni1,r2,0\n");
        RatingsTable oneGroup = RatingsTable.parseCsv("item,rater,score,group\ni1,r1,1,a\ni1,r2,0,a\n");

        for (RatingsTable table : new RatingsTable[] {ungrouped, oneGroup}) {
            assertThat(DemographicDisparity.sensitivity(table)).isEmpty();
            assertThat(DemographicDisparity.parityDifference(table)).isEmpty();
            assertThat(DemographicDisparity.equalizedOddsDifference(table, Map.of("i1", true))).isEmpty();
        }
    }
}
