package io.misalignstream.deploycheck;

import java.util.Set;
import java.util.TreeSet;

/** Metric names in a Prometheus text exposition: the sample lines' names ({@code x_bucket}, {@code x_count} included). */
final class MetricNames {

    private MetricNames() {
    }

    static Set<String> ofExposition(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            String sample = line.strip();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < sample.length() && sample.charAt(end) != '{' && sample.charAt(end) != ' ') {
                end++;
            }
            names.add(sample.substring(0, end));
        }
        return names;
    }
}
