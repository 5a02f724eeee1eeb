package io.misalignstream.inference.embedded;

/**
 * Features shifted and scaled to mean 0 and standard deviation 1, so one learning rate suits them all; the fits map
 * their weights back to the original features with {@link #mean} and {@link #scale}.
 */
record StandardisedFeatures(double[][] rows, double[] mean, double[] scale) {

    static StandardisedFeatures of(double[][] x) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                mean[i] += row[i] / x.length;
            }
        }
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                scale[i] += (row[i] - mean[i]) * (row[i] - mean[i]) / x.length;
            }
        }
        for (int i = 0; i < d; i++) {
            scale[i] = scale[i] > 1e-12 ? Math.sqrt(scale[i]) : 1;
        }
        double[][] rows = new double[x.length][d];
        for (int n = 0; n < x.length; n++) {
            for (int i = 0; i < d; i++) {
                rows[n][i] = (x[n][i] - mean[i]) / scale[i];
            }
        }
        return new StandardisedFeatures(rows, mean, scale);
    }

    int dimensions() {
        return mean.length;
    }
}
