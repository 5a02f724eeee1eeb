package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.LabelledSet;
import io.misalignstream.inference.LabelledSet.LabelledPrompt;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the embedded classifier's calibration on the tuning half of the labelled set: per zero-shot dimension a
 * logistic regression of "this domain is the label" on (similarity to the domain, similarity to none),
 * then the none threshold that maximises the F1 of "has a domain" on the same half. Run with
 * {@code ./mvnw -pl inference test-compile exec:java} or from the IDE; writes the properties file given as
 * argument (default: the shipped one in src/main/resources).
 */
public final class CalibrationFit {

    private static final double L2 = 1e-6;

    record Sample(double similarity, double noneSimilarity, boolean label) {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0]
                : "inference/src/main/resources/io/misalignstream/inference/embedded/calibration.properties");
        String version = args.length > 1 ? args[1] : "1";
        EmbeddedCalibration placeholder = EmbeddedCalibration.shipped();
        try (EmbeddedPromptClassifier classifier = new EmbeddedPromptClassifier(new SentenceEmbedder(2), Taxonomy.standard(), DomainExamples.shipped(), placeholder,
                SafetyScreen.shipped(), SafetyScreen.DEFAULT_TARGET_RECALL, 0.5)) {
            EmbeddedCalibration fitted = fit(classifier, LabelledSet.tuning(), version);
            try (Writer out = new OutputStreamWriter(Files.newOutputStream(target), StandardCharsets.UTF_8)) {
                out.write("# Fitted by CalibrationFit on the tuning half of labelled-prompts.jsonl; do not edit by hand.\n");
                fitted.write(out);
            }
            System.out.println("wrote " + target);
        }
    }

    static EmbeddedCalibration fit(EmbeddedPromptClassifier classifier, List<LabelledPrompt> prompts, String version) {
        List<Map<Dimension, double[]>> similarities = prompts.parallelStream().map(prompt -> classifier.similarities(prompt.text())).toList();
        Map<Dimension, DimensionCalibration> fitted = new EnumMap<>(Dimension.class);
        for (Dimension dimension : EmbeddedCalibration.DIMENSIONS) {
            List<String> ids = classifier.domainIds(dimension);
            List<Sample> samples = new ArrayList<>();
            for (int p = 0; p < prompts.size(); p++) {
                double[] s = similarities.get(p).get(dimension);
                String expected = prompts.get(p).expected(dimension);
                for (int i = 1; i < ids.size(); i++) {
                    samples.add(new Sample(s[i], s[0], ids.get(i).equals(expected)));
                }
            }
            double[] theta = logistic(samples);
            DimensionCalibration withoutThreshold = new DimensionCalibration(theta[0], theta[1], theta[2], 0.5);
            double bestF1 = -1;
            double bestThreshold = 0.5;
            for (int step = 1; step < 200; step++) {
                double threshold = step / 200.0;
                int tp = 0, fp = 0, fn = 0;
                for (int p = 0; p < prompts.size(); p++) {
                    double[] s = similarities.get(p).get(dimension);
                    double best = 0;
                    for (int i = 1; i < ids.size(); i++) {
                        best = Math.max(best, withoutThreshold.probability(s[i], s[0]));
                    }
                    boolean predicted = best >= threshold;
                    boolean actual = !Domain.NONE.equals(prompts.get(p).expected(dimension));
                    if (predicted && actual) tp++;
                    if (predicted && !actual) fp++;
                    if (!predicted && actual) fn++;
                }
                double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
                if (f1 > bestF1) {
                    bestF1 = f1;
                    bestThreshold = threshold;
                }
            }
            fitted.put(dimension, new DimensionCalibration(theta[0], theta[1], theta[2], bestThreshold));
        }
        return new EmbeddedCalibration(version, fitted);
    }

    /** Newton's method on the L2-regularised log loss; three parameters (weight, none weight, bias). */
    static double[] logistic(List<Sample> samples) {
        double[] theta = new double[3];
        for (int iteration = 0; iteration < 50; iteration++) {
            double[] gradient = new double[3];
            double[][] hessian = new double[3][3];
            for (Sample sample : samples) {
                double[] x = {sample.similarity(), sample.noneSimilarity(), 1};
                double z = theta[0] * x[0] + theta[1] * x[1] + theta[2];
                double p = 1 / (1 + Math.exp(-z));
                double error = p - (sample.label() ? 1 : 0);
                for (int i = 0; i < 3; i++) {
                    gradient[i] += error * x[i];
                    for (int j = 0; j < 3; j++) {
                        hessian[i][j] += p * (1 - p) * x[i] * x[j];
                    }
                }
            }
            for (int i = 0; i < 2; i++) {
                gradient[i] += L2 * samples.size() * theta[i];
                hessian[i][i] += L2 * samples.size();
            }
            double[] step = solve(hessian, gradient);
            double change = 0;
            for (int i = 0; i < 3; i++) {
                theta[i] -= step[i];
                change += Math.abs(step[i]);
            }
            if (change < 1e-9) {
                break;
            }
        }
        return theta;
    }

    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
            }
            double[] swap = m[col]; m[col] = m[pivot]; m[pivot] = swap;
            for (int row = 0; row < n; row++) {
                if (row == col) continue;
                double factor = m[row][col] / m[col][col];
                for (int k = col; k <= n; k++) m[row][k] -= factor * m[col][k];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = m[i][n] / m[i][i];
        return x;
    }
}
