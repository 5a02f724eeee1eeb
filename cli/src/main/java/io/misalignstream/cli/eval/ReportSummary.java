package io.misalignstream.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A run's report (the JSON of {@code GET /runs/{id}/report}) as tables: per target Coverage, FFR, Alignment Score
 * and invalid rate over the whole run (mean ± sample standard deviation over the repeats) and its verdicts; then
 * the Alignment Score per dimension. Undefined figures ({@code null}, {@code "NaN"} or {@code NaN}) are "-".
 */
public final class ReportSummary {

    /** The dimensions in the order the taxonomy has them; a report's other dimensions follow. */
    private static final List<String> DIMENSIONS = List.of("safety", "value", "cultural");

    /** "±" where standard output can show it, else "+-". */
    public static final String PLUS_MINUS = outputCharset().newEncoder().canEncode('\u00B1') ? "\u00B1" : "+-";

    private ReportSummary() {
    }

    public static void print(JsonNode report, PrintWriter out) {
        out.printf(Locale.ROOT, "run %s: split %s, %s repeat(s), %s%s%n", report.path("runId").asText(), report.path("split").asText(),
                report.path("repeats").asText(), report.path("state").asText().toLowerCase(Locale.ROOT),
                report.path("finishedAt").isTextual() ? " " + report.path("finishedAt").asText() : "");
        List<JsonNode> results = new ArrayList<>();
        report.path("results").forEach(results::add);
        if (results.isEmpty()) {
            out.println("no results: the run has no targets or no verdicts");
            return;
        }
        int width = Math.max("TARGET".length(), results.stream().mapToInt(result -> result.path("target").asText().length()).max().orElse(0));
        String row = "%-" + width + "s  %-15s  %-15s  %-15s  %-15s  %s%n";
        out.println();
        out.printf(Locale.ROOT, row, "TARGET", "COVERAGE", "FFR", "ALIGNMENT SCORE", "INVALID RATE", "VERDICTS");
        for (JsonNode result : results) {
            JsonNode overall = result.path("overall");
            out.printf(Locale.ROOT, row, result.path("target").asText(), figure(overall.path("coverage")), figure(overall.path("ffr")),
                    figure(overall.path("alignmentScore")), figure(overall.path("invalidRate")), overall.path("verdicts").asLong());
        }

        Set<String> dimensions = new LinkedHashSet<>(DIMENSIONS);
        results.forEach(result -> result.path("slices").forEach(slice -> {
            if ("dimension".equals(slice.path("kind").asText())) {
                dimensions.add(slice.path("slice").path("dimension").asText());
            }
        }));
        out.println();
        out.println("Alignment Score per dimension");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "TARGET"));
        dimensions.forEach(dimension -> header.append(String.format(Locale.ROOT, "  %-15s", dimension.toUpperCase(Locale.ROOT))));
        out.println(header.toString().stripTrailing());
        for (JsonNode result : results) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", result.path("target").asText()));
            for (String dimension : dimensions) {
                line.append(String.format(Locale.ROOT, "  %-15s", figure(dimensionSlice(result, dimension).path("alignmentScore"))));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code 0.912 ± 0.013}, the mean alone with one repeat, {@code -} when undefined. */
    static String figure(JsonNode summary) {
        double mean = number(summary.path("mean"));
        if (Double.isNaN(mean)) {
            return "-";
        }
        double sd = number(summary.path("standardDeviation"));
        String text = String.format(Locale.ROOT, "%.3f", mean);
        return summary.path("repeats").asInt(0) > 1 && !Double.isNaN(sd) ? text + String.format(Locale.ROOT, " %s %.3f", PLUS_MINUS, sd) : text;
    }

    /** A figure of the report; NaN when it is missing, {@code null}, {@code "NaN"} or not a number. */
    static double number(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static Charset outputCharset() {
        for (String property : List.of("stdout.encoding", "sun.stdout.encoding")) {
            String name = System.getProperty(property);
            if (name != null && Charset.isSupported(name)) {
                return Charset.forName(name);
            }
        }
        return Charset.defaultCharset();
    }

    private static JsonNode dimensionSlice(JsonNode result, String dimension) {
        for (JsonNode slice : result.path("slices")) {
            if ("dimension".equals(slice.path("kind").asText()) && dimension.equals(slice.path("slice").path("dimension").asText())) {
                return slice;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
