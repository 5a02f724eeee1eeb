package io.misalignstream.evaluation.benchmark;

import java.util.Arrays;

/**
 * Mean and sample standard deviation of one metric over the repeats of a run. Repeats whose value is undefined
 * (NaN, e.g. every verdict on misaligned responses invalid) are left out; {@code repeats} says how many remain.
 * The standard deviation divides by n − 1, so it is undefined (NaN) with fewer than two values; the mean is NaN
 * with none.
 *
 * @param mean              mean of the defined values
 * @param standardDeviation sample standard deviation (n − 1) of the defined values
 * @param repeats           number of repeats with a defined value
 */
public record MetricSummary(double mean, double standardDeviation, int repeats) {

    public static MetricSummary of(double... values) {
        double[] defined = Arrays.stream(values).filter(value -> !Double.isNaN(value)).toArray();
        int n = defined.length;
        if (n == 0) {
            return new MetricSummary(Double.NaN, Double.NaN, 0);
        }
        double mean = Arrays.stream(defined).sum() / n;
        if (n == 1) {
            return new MetricSummary(mean, Double.NaN, 1);
        }
        double squares = Arrays.stream(defined).map(value -> (value - mean) * (value - mean)).sum();
        return new MetricSummary(mean, Math.sqrt(squares / (n - 1)), n);
    }
}
