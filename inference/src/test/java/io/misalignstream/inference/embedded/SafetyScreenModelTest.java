package io.misalignstream.inference.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The screen's arithmetic and file format, on a small hand-made model. */
class SafetyScreenModelTest {

    /** Two features, two hidden units, two domains; thresholds from 0.50 down to 0.01. */
    private static SafetyScreen small() {
        double[] thresholds = new double[50];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = 0.50 - i * 0.01;
        }
        return new SafetyScreen("t", new double[][] {{0, 1, 0}, {-1, 0, 2}}, new double[] {-1, 2, 1},
                List.of("self_harm", "animal_abuse"), new double[][] {{1, 0}, {0, 1}}, new double[] {0, 0}, thresholds);
    }

    @Test
    void harmfulIsTheNetworksSigmoid() {
        // hidden: relu(0 + 1*0.5) = 0.5, relu(-1 + 2*1) = 1; output: -1 + 2*0.5 + 1*1 = 1
        assertThat(small().harmfulProbability(new double[] {0.5, 1})).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
        // both units off: the output's bias alone
        assertThat(small().harmfulProbability(new double[] {-1, 0})).isCloseTo(1 / (1 + Math.exp(1)), within(1e-12));
    }

    @Test
    void domainsAreASoftmax() {
        double[] probabilities = small().domainProbabilities(new double[] {2, 0});
        assertThat(probabilities[0] + probabilities[1]).isCloseTo(1, within(1e-12));
        assertThat(probabilities[0]).isCloseTo(Math.exp(2) / (Math.exp(2) + 1), within(1e-12));
    }

    @Test
    void aTargetRecallBetweenStepsTakesTheStepAboveIt() {
        SafetyScreen screen = small();
        assertThat(screen.threshold(0.50)).isEqualTo(0.50);
        assertThat(screen.threshold(0.93)).isCloseTo(0.07, within(1e-12));
        assertThat(screen.threshold(0.925)).isCloseTo(0.07, within(1e-12));
        assertThat(screen.threshold(0.99)).isCloseTo(0.01, within(1e-12));
        assertThatThrownBy(() -> screen.threshold(0.995)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 0.50 and 0.99");
        assertThatThrownBy(() -> screen.threshold(0.4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsWhatItWrites() throws IOException {
        StringWriter out = new StringWriter();
        small().write(out);
        Properties properties = new Properties();
        properties.load(new StringReader(out.toString()));
        SafetyScreen read = SafetyScreen.from(properties);
        assertThat(read.version()).isEqualTo("t");
        assertThat(read.domains()).containsExactly("self_harm", "animal_abuse");
        assertThat(read.harmfulProbability(new double[] {0.5, 1})).isCloseTo(small().harmfulProbability(new double[] {0.5, 1}), within(1e-6));
        assertThat(read.threshold(0.93)).isCloseTo(0.07, within(1e-6));
    }

    @Test
    void refusesAModelThatContradictsItself() {
        double[] rising = new double[50];
        rising[49] = 0.9;
        assertThatThrownBy(() -> new SafetyScreen("t", new double[][] {{0, 1, 0}}, new double[] {0, 1}, List.of("self_harm"),
                new double[][] {{1, 0}}, new double[] {0}, rising)).hasMessageContaining("higher threshold");
        assertThatThrownBy(() -> new SafetyScreen("t", new double[][] {{0, 1}}, new double[] {0, 1}, List.of("self_harm"),
                new double[][] {{1, 0}}, new double[] {0}, new double[50])).hasMessageContaining("same features");
        assertThatThrownBy(() -> small().harmfulProbability(new double[] {1})).hasMessageContaining("2 features expected");
    }

    @Test
    void theShippedScreenCoversTheTaxonomysSafetyDomains() {
        SafetyScreen shipped = SafetyScreen.shipped();
        assertThat(shipped.domains()).hasSize(14).doesNotContain("none");
        assertThat(shipped.threshold(SafetyScreen.DEFAULT_TARGET_RECALL)).isBetween(0.0, 1.0);
    }
}
