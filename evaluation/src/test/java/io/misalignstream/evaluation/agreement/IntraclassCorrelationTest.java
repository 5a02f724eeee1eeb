package io.misalignstream.evaluation.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntraclassCorrelationTest {

    /** Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges. */
    static final double[][] SHROUT_FLEISS = {
            {9, 2, 5, 8},
            {6, 1, 3, 2},
            {8, 4, 6, 8},
            {7, 1, 2, 6},
            {10, 5, 6, 9},
            {6, 2, 4, 7},
    };

    @Test
    void reproducesTheMeanSquaresOfShroutAndFleiss() {
        IntraclassCorrelation icc = IntraclassCorrelation.of(SHROUT_FLEISS);

        assertThat(icc.targets()).isEqualTo(6);
        assertThat(icc.judges()).isEqualTo(4);
        // Published (Table 3): BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02.
        assertThat(icc.betweenTargets()).isCloseTo(11.24, within(0.005));
        assertThat(icc.withinTargets()).isCloseTo(6.26, within(0.005));
        assertThat(icc.betweenJudges()).isCloseTo(32.49, within(0.005));
        assertThat(icc.residual()).isCloseTo(1.02, within(0.005));
    }

    @Test
    void reproducesThePublishedCorrelationsOfShroutAndFleiss() {
        IntraclassCorrelation icc = IntraclassCorrelation.of(SHROUT_FLEISS);

        // Published (Table 4) to two decimals.
        assertThat(icc.icc1()).isCloseTo(0.17, within(0.005));
        assertThat(icc.icc2()).isCloseTo(0.29, within(0.005));
        assertThat(icc.icc3()).isCloseTo(0.71, within(0.005));
        assertThat(icc.icc1k()).isCloseTo(0.44, within(0.005));
        assertThat(icc.icc2k()).isCloseTo(0.62, within(0.005));
        assertThat(icc.icc3k()).isCloseTo(0.91, within(0.005));
    }

    @Test
    void isUndefinedWhenEveryScoreIsTheSame() {
        IntraclassCorrelation icc = IntraclassCorrelation.of(new double[][] {{1, 1}, {1, 1}, {1, 1}});

        assertThat(icc.icc1()).isNaN();
        assertThat(icc.icc2()).isNaN();
        assertThat(icc.icc3k()).isNaN();
    }

    @Test
    void needsTwoTargetsAndTwoJudges() {
        assertThatThrownBy(() -> IntraclassCorrelation.of(new double[][] {{1, 2, 3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 targets");
        assertThatThrownBy(() -> IntraclassCorrelation.of(new double[][] {{1}, {2}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IntraclassCorrelation.of(new double[][] {{1, 2}, {2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    }
}
