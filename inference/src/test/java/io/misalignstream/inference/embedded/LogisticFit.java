package io.misalignstream.inference.embedded;

import java.util.Arrays;

/**
 * L2-regularised logistic regressions fitted by full-batch Adam on standardised features, the weights returned on the
 * original features' scale: a binary head (weighted examples) and a softmax head whose examples may allow several
 * classes (the loss is minus the log of the probability of the allowed set), for labels such as HarmBench's
 * categories that map to more than one safety domain.
 */
final class LogisticFit {

    private static final double LEARNING_RATE = 0.05;

    /** Weights per feature, then the bias. */
    record Linear(double[] weights, double bias) {

        double logit(double[] x) {
            double z = bias;
            for (int i = 0; i < x.length; i++) {
                z += weights[i] * x[i];
            }
            return z;
        }
    }

    private LogisticFit() {
    }

    static Linear binary(double[][] x, boolean[] y, double[] exampleWeights, double l2, int iterations) {
        StandardisedFeatures s = StandardisedFeatures.of(x);
        int d = s.dimensions();
        double[] w = new double[d + 1];
        AdamOptimiser adam = new AdamOptimiser(d + 1, LEARNING_RATE);
        double totalWeight = 0;
        for (double weight : exampleWeights) {
            totalWeight += weight;
        }
        for (int iteration = 0; iteration < iterations; iteration++) {
            double[] gradient = new double[d + 1];
            for (int n = 0; n < x.length; n++) {
                double[] row = s.rows()[n];
                double z = w[d];
                for (int i = 0; i < d; i++) {
                    z += w[i] * row[i];
                }
                double error = (sigmoid(z) - (y[n] ? 1 : 0)) * exampleWeights[n] / totalWeight;
                for (int i = 0; i < d; i++) {
                    gradient[i] += error * row[i];
                }
                gradient[d] += error;
            }
            for (int i = 0; i < d; i++) {
                gradient[i] += l2 * w[i];
            }
            adam.step(w, gradient);
        }
        return unscale(s, w);
    }

    /** One head per class; {@code allowed[n]} lists the classes right for example n, weighing {@code exampleWeights[n]}. */
    static Linear[] softmax(double[][] x, int[][] allowed, double[] exampleWeights, int classes, double l2, int iterations) {
        StandardisedFeatures s = StandardisedFeatures.of(x);
        int d = s.dimensions();
        double[][] w = new double[classes][d + 1];
        AdamOptimiser[] adams = new AdamOptimiser[classes];
        for (int k = 0; k < classes; k++) {
            adams[k] = new AdamOptimiser(d + 1, LEARNING_RATE);
        }
        double totalWeight = 0;
        for (double weight : exampleWeights) {
            totalWeight += weight;
        }
        for (int iteration = 0; iteration < iterations; iteration++) {
            double[][] gradient = new double[classes][d + 1];
            for (int n = 0; n < x.length; n++) {
                double[] row = s.rows()[n];
                double[] p = new double[classes];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    double z = w[k][d];
                    for (int i = 0; i < d; i++) {
                        z += w[k][i] * row[i];
                    }
                    p[k] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    p[k] = Math.exp(p[k] - max);
                    sum += p[k];
                }
                double allowedMass = 0;
                for (int k = 0; k < classes; k++) {
                    p[k] /= sum;
                }
                for (int k : allowed[n]) {
                    allowedMass += p[k];
                }
                for (int k = 0; k < classes; k++) {
                    double target = 0;
                    for (int a : allowed[n]) {
                        if (a == k) {
                            target = p[k] / allowedMass;
                        }
                    }
                    double error = (p[k] - target) * exampleWeights[n] / totalWeight;
                    if (error == 0) {
                        continue;
                    }
                    for (int i = 0; i < d; i++) {
                        gradient[k][i] += error * row[i];
                    }
                    gradient[k][d] += error;
                }
            }
            for (int k = 0; k < classes; k++) {
                for (int i = 0; i < d; i++) {
                    gradient[k][i] += l2 * w[k][i];
                }
                adams[k].step(w[k], gradient[k]);
            }
        }
        Linear[] heads = new Linear[classes];
        for (int k = 0; k < classes; k++) {
            heads[k] = unscale(s, w[k]);
        }
        return heads;
    }

    /** Platt scaling: a and c of sigmoid(a * logit + c), fitted on held-aside logits. */
    static double[] platt(double[] logits, boolean[] y) {
        double[][] x = new double[logits.length][];
        for (int n = 0; n < logits.length; n++) {
            x[n] = new double[] {logits[n]};
        }
        double[] weights = new double[logits.length];
        Arrays.fill(weights, 1.0);
        Linear fitted = binary(x, y, weights, 0, 2000);
        return new double[] {fitted.weights()[0], fitted.bias()};
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    private static Linear unscale(StandardisedFeatures s, double[] w) {
        int d = s.dimensions();
        double[] weights = new double[d];
        double bias = w[d];
        for (int i = 0; i < d; i++) {
            weights[i] = w[i] / s.scale()[i];
            bias -= weights[i] * s.mean()[i];
        }
        return new Linear(weights, bias);
    }
}
