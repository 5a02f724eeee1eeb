package io.misalignstream.inference.embedded;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The embedded safety screen: two linear heads fitted on real prompts written by others (see
 * {@code SafetyScreenFit} and docs/benchmarks.md), over a prompt's features (its embedding and its similarities to
 * the safety prototypes, {@link #features}).
 * <ul>
 *   <li>harmful: the probability that the prompt is harmful, from a network with one hidden layer of ReLU units,
 *       calibrated on out-of-fold predictions of the fit data (Platt scaling, folded into the output's weights);</li>
 *   <li>domain: which safety domain, given that it is harmful (softmax over the safety domains).</li>
 * </ul>
 * A prompt is flagged when its probability reaches the threshold of a target recall ({@link #threshold}): the
 * share of the fit data's harmful prompts, out of fold, that the threshold still flags. The shipped model is
 * {@code safety-screen.properties} beside this class.
 */
public final class SafetyScreen {

    private static final String RESOURCE = "safety-screen.properties";
    /** Target recalls the model carries thresholds for, in steps of 0.01. */
    public static final double MIN_TARGET_RECALL = 0.50;
    public static final double MAX_TARGET_RECALL = 0.99;
    /** The target recall of the classifier's default (classifier.embedded.safety-target-recall). */
    public static final double DEFAULT_TARGET_RECALL = 0.93;
    private static final int RECALL_STEPS = (int) Math.round((MAX_TARGET_RECALL - MIN_TARGET_RECALL) * 100) + 1;

    private final String version;
    private final double[][] hidden;
    private final double[] output;
    private final List<String> domains;
    private final double[][] domainWeights;
    private final double[] domainBiases;
    private final double[] thresholds;

    /**
     * @param hidden per hidden unit of the harmful head, its bias then one weight per feature
     * @param output the harmful head's output: its bias then one weight per hidden unit
     * @param thresholds per target recall from {@link #MIN_TARGET_RECALL} to {@link #MAX_TARGET_RECALL} in steps of
     *                   0.01, the probability threshold reaching it; never increasing
     */
    public SafetyScreen(String version, double[][] hidden, double[] output, List<String> domains,
                        double[][] domainWeights, double[] domainBiases, double[] thresholds) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("safety screen: version is missing");
        }
        if (domains.size() != domainWeights.length || domains.size() != domainBiases.length || domains.isEmpty()) {
            throw new IllegalArgumentException("safety screen: one weight row and bias per domain");
        }
        if (hidden.length == 0 || output.length != hidden.length + 1) {
            throw new IllegalArgumentException("safety screen: one output weight per hidden unit, and a bias");
        }
        int features = domainWeights[0].length;
        for (double[] row : domainWeights) {
            if (row.length != features) {
                throw new IllegalArgumentException("safety screen: every head weighs the same features");
            }
        }
        for (double[] unit : hidden) {
            if (unit.length != features + 1) {
                throw new IllegalArgumentException("safety screen: every head weighs the same features");
            }
        }
        if (thresholds.length != RECALL_STEPS) {
            throw new IllegalArgumentException("safety screen: " + RECALL_STEPS + " thresholds, got " + thresholds.length);
        }
        for (int i = 1; i < thresholds.length; i++) {
            if (thresholds[i] > thresholds[i - 1]) {
                throw new IllegalArgumentException("safety screen: a higher recall cannot need a higher threshold");
            }
        }
        this.version = version.strip();
        this.hidden = Arrays.stream(hidden).map(double[]::clone).toArray(double[][]::new);
        this.output = output.clone();
        this.domains = List.copyOf(domains);
        this.domainWeights = Arrays.stream(domainWeights).map(double[]::clone).toArray(double[][]::new);
        this.domainBiases = domainBiases.clone();
        this.thresholds = thresholds.clone();
    }

    public static SafetyScreen shipped() {
        return from(ShippedProperties.load(SafetyScreen.class, RESOURCE));
    }

    /** A prompt's features: its unit-length embedding, then its similarities to the safety prototypes ({@code none} first). */
    public static double[] features(float[] embedding, double[] safetySimilarities) {
        double[] features = new double[embedding.length + safetySimilarities.length];
        for (int i = 0; i < embedding.length; i++) {
            features[i] = embedding[i];
        }
        System.arraycopy(safetySimilarities, 0, features, embedding.length, safetySimilarities.length);
        return features;
    }

    public String version() {
        return version;
    }

    /** The safety domains of {@link #domainProbabilities}, in their order. */
    public List<String> domains() {
        return domains;
    }

    /** Calibrated probability that the prompt is harmful. */
    public double harmfulProbability(double[] features) {
        // Every unit weighs the same features (checked when the screen was made).
        if (hidden[0].length != features.length + 1) {
            throw new IllegalArgumentException("safety screen: " + (hidden[0].length - 1) + " features expected, got " + features.length);
        }
        double z = output[0];
        for (int j = 0; j < hidden.length; j++) {
            double[] unit = hidden[j];
            double activation = unit[0];
            for (int i = 0; i < features.length; i++) {
                activation += unit[i + 1] * features[i];
            }
            z += output[j + 1] * Math.max(0, activation);
        }
        return sigmoid(z);
    }

    /** Probability of each safety domain given that the prompt is harmful, in {@link #domains()} order; sums to 1. */
    public double[] domainProbabilities(double[] features) {
        double[] logits = new double[domains.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            logits[k] = dot(domainWeights[k], features) + domainBiases[k];
            max = Math.max(max, logits[k]);
        }
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            logits[k] = Math.exp(logits[k] - max);
            sum += logits[k];
        }
        for (int k = 0; k < logits.length; k++) {
            logits[k] /= sum;
        }
        return logits;
    }

    /** The probability threshold that flags at least the target recall of the fit data's harmful prompts (out of fold). */
    public double threshold(double targetRecall) {
        if (!(targetRecall >= MIN_TARGET_RECALL && targetRecall <= MAX_TARGET_RECALL)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "target recall: between %.2f and %.2f, got %s",
                    MIN_TARGET_RECALL, MAX_TARGET_RECALL, targetRecall));
        }
        // The step at or above the target, so the recall is never below what was asked.
        int step = (int) Math.ceil(Math.round((targetRecall - MIN_TARGET_RECALL) * 1e6) / 1e4);
        return thresholds[step];
    }

    static SafetyScreen from(Properties properties) {
        List<String> domains = List.of(required(properties, "domains").split(","));
        double[][] domainWeights = new double[domains.size()][];
        double[] domainBiases = new double[domains.size()];
        for (int k = 0; k < domains.size(); k++) {
            domainWeights[k] = numbers(required(properties, "domain." + domains.get(k) + ".weights"));
            domainBiases[k] = Double.parseDouble(required(properties, "domain." + domains.get(k) + ".bias"));
        }
        double[] thresholds = new double[RECALL_STEPS];
        for (int i = 0; i < RECALL_STEPS; i++) {
            thresholds[i] = Double.parseDouble(required(properties, recallKey(i)));
        }
        double[][] hidden = new double[Integer.parseInt(required(properties, "harmful.hidden-units"))][];
        for (int j = 0; j < hidden.length; j++) {
            hidden[j] = numbers(required(properties, "harmful.hidden." + j));
        }
        return new SafetyScreen(required(properties, "version"), hidden, numbers(required(properties, "harmful.output")),
                domains, domainWeights, domainBiases, thresholds);
    }

    /** Writes the model in the shipped file's format. */
    public void write(Writer out) throws IOException {
        out.write("version=" + version + "\n");
        out.write("harmful.hidden-units=" + hidden.length + "\n");
        for (int j = 0; j < hidden.length; j++) {
            out.write("harmful.hidden." + j + "=" + format(hidden[j]) + "\n");
        }
        out.write("harmful.output=" + format(output) + "\n");
        out.write("domains=" + String.join(",", domains) + "\n");
        for (int k = 0; k < domains.size(); k++) {
            out.write("domain." + domains.get(k) + ".bias=" + format(domainBiases[k]) + "\n");
            out.write("domain." + domains.get(k) + ".weights=" + format(domainWeights[k]) + "\n");
        }
        for (int i = 0; i < RECALL_STEPS; i++) {
            out.write(recallKey(i) + "=" + format(thresholds[i]) + "\n");
        }
    }

    private static String recallKey(int step) {
        return String.format(Locale.ROOT, "threshold.recall-%.2f", MIN_TARGET_RECALL + step / 100.0);
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("safety screen: " + key + " is missing");
        }
        return value.strip();
    }

    private static double[] numbers(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(value -> Double.parseDouble(value.strip())).toArray();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    private static String format(double[] values) {
        return Arrays.stream(values).mapToObj(SafetyScreen::format).collect(Collectors.joining(","));
    }

    private static double dot(double[] weights, double[] features) {
        if (weights.length != features.length) {
            throw new IllegalArgumentException("safety screen: " + weights.length + " features expected, got " + features.length);
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i] * features[i];
        }
        return sum;
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
