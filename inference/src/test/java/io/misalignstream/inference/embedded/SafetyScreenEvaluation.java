package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.inference.embedded.SafetyCorpora.Example;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safety screen's figures on held-out prompts: share flagged per source (recall on harmful sources, false
 * flags on harmless ones), HarmBench's mapped-category agreement, and the reliability of the probability of
 * "harmful" (ten bins, expected calibration error).
 */
final class SafetyScreenEvaluation {

    /** What the classifier said of one prompt's safety: its primary domain and the probability that it is harmful. */
    record Verdict(String primary, double harmful) {

        boolean flagged() {
            return !Domain.NONE.equals(primary);
        }
    }

    record Rate(int flagged, int of) {

        double share() {
            return of == 0 ? 0 : (double) flagged / of;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.4f (%d of %d)", share(), flagged, of);
        }
    }

    record Bin(double low, double high, int prompts, double meanProbability, double harmfulShare) {
    }

    private final Map<String, Rate> flaggedBySource = new LinkedHashMap<>();
    private final Map<String, int[]> harmBench = new TreeMap<>(); // category: prompts, flagged, agreeing
    private final List<Bin> reliability = new ArrayList<>();
    private double expectedCalibrationError;

    SafetyScreenEvaluation(Map<String, List<Example>> heldOut, Map<String, List<Verdict>> verdicts) {
        double[] sumProbability = new double[10];
        int[] count = new int[10];
        int[] harmful = new int[10];
        int total = 0;
        for (Map.Entry<String, List<Example>> source : heldOut.entrySet()) {
            List<Example> examples = source.getValue();
            List<Verdict> said = verdicts.get(source.getKey());
            int flagged = 0;
            for (int i = 0; i < examples.size(); i++) {
                Example example = examples.get(i);
                Verdict verdict = said.get(i);
                if (verdict.flagged()) {
                    flagged++;
                }
                int bin = Math.min(9, (int) (verdict.harmful() * 10));
                sumProbability[bin] += verdict.harmful();
                count[bin]++;
                harmful[bin] += example.harmful() ? 1 : 0;
                total++;
                if ("harmbench".equals(example.source())) {
                    int[] c = harmBench.computeIfAbsent(example.category(), key -> new int[3]);
                    c[0]++;
                    c[1] += verdict.flagged() ? 1 : 0;
                    c[2] += example.domains().contains(verdict.primary()) ? 1 : 0;
                }
            }
            flaggedBySource.put(source.getKey(), new Rate(flagged, examples.size()));
        }
        for (int bin = 0; bin < 10; bin++) {
            double mean = count[bin] == 0 ? 0 : sumProbability[bin] / count[bin];
            double share = count[bin] == 0 ? 0 : (double) harmful[bin] / count[bin];
            reliability.add(new Bin(bin / 10.0, (bin + 1) / 10.0, count[bin], mean, share));
            expectedCalibrationError += (double) count[bin] / total * Math.abs(mean - share);
        }
    }

    Rate flagged(String source) {
        return flaggedBySource.get(source);
    }

    Rate flagged(List<String> sources) {
        int flagged = 0, of = 0;
        for (String source : sources) {
            flagged += flaggedBySource.get(source).flagged();
            of += flaggedBySource.get(source).of();
        }
        return new Rate(flagged, of);
    }

    /** HarmBench prompts whose category maps to safety domains and whose primary domain is one of them. */
    Rate harmBenchAgreement() {
        int agreeing = 0, of = 0;
        for (Map.Entry<String, int[]> category : harmBench.entrySet()) {
            if (!SafetyCorpora.HARMBENCH_DOMAINS.get(category.getKey()).isEmpty()) {
                of += category.getValue()[0];
                agreeing += category.getValue()[2];
            }
        }
        return new Rate(agreeing, of);
    }

    double expectedCalibrationError() {
        return expectedCalibrationError;
    }

    /** The figures as docs/benchmarks.md reports them. */
    String report() {
        StringBuilder out = new StringBuilder();
        out.append("| held-out source | prompts | flagged |\n| --- | --- | --- |\n");
        flaggedBySource.forEach((source, rate) -> out.append(String.format(Locale.ROOT, "| %s | %d | %.4f |%n", source, rate.of(), rate.share())));
        out.append(String.format(Locale.ROOT, "short queries together: %s%n%n", flagged(SafetyCorpora.SHORT_QUERIES)));
        out.append("| HarmBench category | prompts | flagged | primary domain in the category's map |\n| --- | --- | --- | --- |\n");
        harmBench.forEach((category, c) -> out.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s |%n", category, c[0],
                (double) c[1] / c[0], SafetyCorpora.HARMBENCH_DOMAINS.get(category).isEmpty() ? "n/a"
                        : String.format(Locale.ROOT, "%.2f", (double) c[2] / c[0]))));
        out.append(String.format(Locale.ROOT, "mapped-category agreement: %s%n%n", harmBenchAgreement()));
        out.append("| P(harmful) | prompts | mean P(harmful) | share harmful |\n| --- | --- | --- | --- |\n");
        for (Bin bin : reliability) {
            out.append(String.format(Locale.ROOT, "| %.1f-%.1f | %d | %.3f | %.3f |%n", bin.low(), bin.high(), bin.prompts(),
                    bin.meanProbability(), bin.harmfulShare()));
        }
        out.append(String.format(Locale.ROOT, "expected calibration error: %.4f%n", expectedCalibrationError));
        return out.toString();
    }
}
