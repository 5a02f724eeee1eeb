package io.misalignstream.inference.embedded;

/** Adam's update (first and second moment estimates, bias-corrected) for the fits' weights, in place. */
final class AdamOptimiser {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;

    private final double learningRate;
    private final double[] m;
    private final double[] v;
    private int t;

    AdamOptimiser(int size, double learningRate) {
        this.learningRate = learningRate;
        this.m = new double[size];
        this.v = new double[size];
    }

    void step(double[] w, double[] gradient) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (int i = 0; i < w.length; i++) {
            w[i] -= update(i, gradient[i], c1, c2);
        }
    }

    /** The rows of {@code w} in order are this optimiser's weights. */
    void step(double[][] w, double[][] gradient) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        int k = 0;
        for (int j = 0; j < w.length; j++) {
            for (int i = 0; i < w[j].length; i++, k++) {
                w[j][i] -= update(k, gradient[j][i], c1, c2);
            }
        }
    }

    private double update(int k, double gradient, double c1, double c2) {
        m[k] = BETA1 * m[k] + (1 - BETA1) * gradient;
        v[k] = BETA2 * v[k] + (1 - BETA2) * gradient * gradient;
        return learningRate * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8);
    }
}
