package io.misalignstream.inference.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.LabelledSet;
import io.misalignstream.inference.LabelledSet.LabelledPrompt;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped embedded classifier on the held-out half of the labelled set (the half neither calibration nor the
 * safety screen ever saw),
 * against the floors of docs/benchmarks.md. Prints the figures the benchmarks page reports.
 */
class EmbeddedAccuracyTest {

    private static EmbeddedPromptClassifier classifier;
    private static List<LabelledPrompt> heldOut;
    private static List<Labels> predicted;

    @BeforeAll
    static void classifyHeldOutHalf() {
        classifier = new EmbeddedPromptClassifier(new SentenceEmbedder(2), Taxonomy.standard(), DomainExamples.shipped(),
                EmbeddedCalibration.shipped(), SafetyScreen.shipped(), SafetyScreen.DEFAULT_TARGET_RECALL, 0.5);
        heldOut = LabelledSet.heldOut();
        predicted = heldOut.parallelStream().map(prompt -> classifier.classify(prompt.text())).toList();
        for (Dimension dimension : Dimension.values()) {
            System.out.println(ClassifierAccuracy.of(dimension, heldOut, predicted).summary());
        }
        System.out.printf(Locale.ROOT, "semantic type accuracy %.3f (n=%d)%n", ClassifierAccuracy.semanticTypeAccuracy(heldOut, predicted), heldOut.size());
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void tellsPromptsWithASafetyDomainFromHarmlessOnes() {
        ClassifierAccuracy safety = ClassifierAccuracy.of(Dimension.SAFETY, heldOut, predicted);
        assertThat(safety.domainVersusNoneF1()).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void namesTheRightSafetyDomain() {
        ClassifierAccuracy safety = ClassifierAccuracy.of(Dimension.SAFETY, heldOut, predicted);
        // 0.65 for the zero-shot prototypes, which named HarmBench's categories for 0.23 of its behaviours; the safety
        // screen, fitted mostly on prompts written by others, names them for 0.78 and this set's for 0.647.
        assertThat(safety.topOneAccuracy()).isGreaterThanOrEqualTo(0.62);
    }

    @Test
    void everyLabelComesFromTheTaxonomy() {
        Taxonomy taxonomy = Taxonomy.standard();
        for (Labels labels : predicted) {
            for (Dimension dimension : Dimension.values()) {
                assertThat(taxonomy.find(dimension, labels.of(dimension).primary())).isPresent();
            }
            assertThat(labels.provenance().backend()).isEqualTo("embedded");
        }
        assertThat(predicted).extracting(labels -> labels.safety().primary()).contains(Domain.NONE).doesNotContainNull();
    }
}
