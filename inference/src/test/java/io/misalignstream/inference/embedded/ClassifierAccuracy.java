package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.inference.LabelledSet.LabelledPrompt;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy of predicted labels in one dimension. "Domain" is the positive class of the domain-versus-none
 * F1; top-1 accuracy counts a prompt right only when its predicted primary is its expected domain, over the
 * prompts that have one (a predicted {@code none} is wrong).
 */
record ClassifierAccuracy(Dimension dimension, int prompts, int withDomain, int topOneCorrect,
                          int truePositive, int falsePositive, int falseNegative, int trueNegative) {

    static ClassifierAccuracy of(Dimension dimension, List<LabelledPrompt> expected, List<Labels> predicted) {
        int withDomain = 0, correct = 0, tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < expected.size(); i++) {
            String gold = expected.get(i).expected(dimension);
            String guess = predicted.get(i).of(dimension).primary();
            boolean actual = !Domain.NONE.equals(gold);
            boolean flagged = !Domain.NONE.equals(guess);
            if (actual) {
                withDomain++;
                if (gold.equals(guess)) correct++;
            }
            if (actual && flagged) tp++;
            if (!actual && flagged) fp++;
            if (actual && !flagged) fn++;
            if (!actual && !flagged) tn++;
        }
        return new ClassifierAccuracy(dimension, expected.size(), withDomain, correct, tp, fp, fn, tn);
    }

    static double semanticTypeAccuracy(List<LabelledPrompt> expected, List<Labels> predicted) {
        int correct = 0;
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).semanticType() == predicted.get(i).semanticType()) correct++;
        }
        return (double) correct / expected.size();
    }

    double topOneAccuracy() {
        return withDomain == 0 ? 0 : (double) topOneCorrect / withDomain;
    }

    double domainVersusNoneF1() {
        return truePositive == 0 ? 0 : 2.0 * truePositive / (2.0 * truePositive + falsePositive + falseNegative);
    }

    double nonePrecision() {
        int predictedNone = trueNegative + falseNegative;
        return predictedNone == 0 ? 0 : (double) trueNegative / predictedNone;
    }

    double noneRecall() {
        int actualNone = trueNegative + falsePositive;
        return actualNone == 0 ? 0 : (double) trueNegative / actualNone;
    }

    String summary() {
        return String.format(Locale.ROOT,
                "%-8s n=%d with-domain=%d top-1=%.3f domain-vs-none F1=%.3f none precision=%.3f recall=%.3f (tp=%d fp=%d fn=%d tn=%d)",
                dimension.json(), prompts, withDomain, topOneAccuracy(), domainVersusNoneF1(), nonePrecision(), noneRecall(),
                truePositive, falsePositive, falseNegative, trueNegative);
    }
}
