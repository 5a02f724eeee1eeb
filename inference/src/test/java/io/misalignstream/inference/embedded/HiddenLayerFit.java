package io.misalignstream.inference.embedded;

import java.util.Random;

/**
 * A binary classifier with one hidden layer of ReLU units, fitted by mini-batch Adam on standardised features with
 * weighted examples and L2 weight decay; seeded, so the same data give the same weights. The first layer is returned
 * on the original features' scale.
 */
final class HiddenLayerFit {

    private static final double LEARNING_RATE = 1e-3;
    private static final int BATCH = 128;

    /** {@code hidden[j]} is unit j's bias then weights; {@code output} the output's bias then one weight per unit. */
    record Network(double[][] hidden, double[] output) {

        double logit(double[] x) {
            double z = output[0];
            for (int j = 0; j < hidden.length; j++) {
                double[] unit = hidden[j];
                double a = unit[0];
                for (int i = 0; i < x.length; i++) {
                    a += unit[i + 1] * x[i];
                }
                if (a > 0) {
                    z += output[j + 1] * a;
                }
            }
            return z;
        }
    }

    private HiddenLayerFit() {
    }

    static Network fit(double[][] x, boolean[] y, double[] exampleWeights, int units, double l2, int epochs, long seed) {
        StandardisedFeatures s = StandardisedFeatures.of(x);
        int d = s.dimensions();
        Random random = new Random(seed);
        double[][] w1 = new double[units][d + 1];
        double[] w2 = new double[units + 1];
        double scale1 = Math.sqrt(2.0 / d);
        for (double[] unit : w1) {
            for (int i = 1; i <= d; i++) {
                unit[i] = random.nextGaussian() * scale1;
            }
        }
        for (int j = 1; j <= units; j++) {
            w2[j] = random.nextGaussian() * Math.sqrt(1.0 / units);
        }
        AdamOptimiser adam1 = new AdamOptimiser(units * (d + 1), LEARNING_RATE);
        AdamOptimiser adam2 = new AdamOptimiser(units + 1, LEARNING_RATE);
        double meanWeight = 0;
        for (double weight : exampleWeights) {
            meanWeight += weight / exampleWeights.length;
        }
        int[] order = new int[x.length];
        for (int n = 0; n < order.length; n++) {
            order[n] = n;
        }
        double[] activation = new double[units];
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int n = order.length - 1; n > 0; n--) {
                int other = random.nextInt(n + 1);
                int swap = order[n];
                order[n] = order[other];
                order[other] = swap;
            }
            for (int start = 0; start < order.length; start += BATCH) {
                int end = Math.min(order.length, start + BATCH);
                double[][] g1 = new double[units][d + 1];
                double[] g2 = new double[units + 1];
                for (int b = start; b < end; b++) {
                    int n = order[b];
                    double[] row = s.rows()[n];
                    double z = w2[0];
                    for (int j = 0; j < units; j++) {
                        double[] unit = w1[j];
                        double a = unit[0];
                        for (int i = 0; i < d; i++) {
                            a += unit[i + 1] * row[i];
                        }
                        activation[j] = a > 0 ? a : 0;
                        z += w2[j + 1] * activation[j];
                    }
                    // Weighted mean loss per batch, weights relative to their mean so the step size does not depend on them.
                    double error = (LogisticFit.sigmoid(z) - (y[n] ? 1 : 0)) * exampleWeights[n] / meanWeight / (end - start);
                    g2[0] += error;
                    for (int j = 0; j < units; j++) {
                        if (activation[j] <= 0) {
                            continue;
                        }
                        g2[j + 1] += error * activation[j];
                        double back = error * w2[j + 1];
                        double[] gradient = g1[j];
                        gradient[0] += back;
                        for (int i = 0; i < d; i++) {
                            gradient[i + 1] += back * row[i];
                        }
                    }
                }
                for (int j = 0; j < units; j++) {
                    for (int i = 1; i <= d; i++) {
                        g1[j][i] += l2 * w1[j][i];
                    }
                    g2[j + 1] += l2 * w2[j + 1];
                }
                adam1.step(w1, g1);
                adam2.step(w2, g2);
            }
        }
        // Back to the original features: a = sum w (x - mean) / scale + bias.
        double[][] hidden = new double[units][d + 1];
        for (int j = 0; j < units; j++) {
            double bias = w1[j][0];
            for (int i = 0; i < d; i++) {
                hidden[j][i + 1] = w1[j][i + 1] / s.scale()[i];
                bias -= hidden[j][i + 1] * s.mean()[i];
            }
            hidden[j][0] = bias;
        }
        return new Network(hidden, w2.clone());
    }
}
