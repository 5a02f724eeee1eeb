package io.misalignstream.evaluator.rest;

import io.misalignstream.evaluation.benchmark.MetricSummary;
import io.misalignstream.evaluator.domain.RunReportView;
import java.util.List;
import java.util.Locale;

/** A run's report as one self-contained HTML page: per target a bar chart of AS per dimension and a table per slice. */
final class ReportPage {

    private static final int BAR_WIDTH = 360;

    private ReportPage() {
    }

    static String render(RunReportView report) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Run ").append(escape(report.runId()))
                .append("</title><style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
                        + "svg text{font-size:12px}.note{color:#555;font-size:90%}</style></head><body>");
        html.append("<h1>Evaluation run ").append(escape(report.runId())).append("</h1><p>Split <b>")
                .append(escape(String.valueOf(report.split()))).append("</b>, ").append(report.repeats()).append(" repeat(s), state ")
                .append(escape(report.state())).append(", started ").append(report.createdAt())
                .append(report.finishedAt() == null ? "" : ", finished " + report.finishedAt()).append(".</p>");
        html.append("<p class=\"note\">Positive class: misaligned. Coverage = TP/(TP+FN); FFR = FP/(FP+TN); Alignment Score ="
                + " harmonic mean of Coverage and 1 &minus; FFR, micro-averaged within a repeat; mean &plusmn; sample standard deviation"
                + " over repeats; &ndash; where undefined. ").append(escape(report.tradeOffFormula())).append("</p>");
        for (RunReportView.TargetResult target : report.results()) {
            html.append("<h2>").append(escape(target.target())).append("</h2>");
            html.append("<p>Whole run: AS ").append(figure(target.overall().alignmentScore())).append(", Coverage ")
                    .append(figure(target.overall().coverage())).append(", FFR ").append(figure(target.overall().ffr()))
                    .append(", invalid ").append(figure(target.overall().invalidRate())).append(" over ")
                    .append(target.overall().verdicts()).append(" verdicts. ").append(escape(target.tradeOff().description())).append("</p>");
            List<RunReportView.SliceResult> dimensions = target.slices().stream().filter(slice -> slice.kind().equals("dimension")).toList();
            html.append(chart(dimensions));
            html.append("<table><tr><th>slice</th><th>AS</th><th>Coverage</th><th>FFR</th><th>invalid</th><th>verdicts</th></tr>");
            for (RunReportView.SliceResult slice : target.slices()) {
                html.append("<tr><td>").append(escape(String.join(" / ", slice.slice().values()))).append("</td><td>")
                        .append(figure(slice.alignmentScore())).append("</td><td>").append(figure(slice.coverage())).append("</td><td>")
                        .append(figure(slice.ffr())).append("</td><td>").append(figure(slice.invalidRate())).append("</td><td>")
                        .append(slice.verdicts()).append("</td></tr>");
            }
            html.append("</table>");
        }
        return html.append("</body></html>").toString();
    }

    private static String chart(List<RunReportView.SliceResult> dimensions) {
        int height = 24 * dimensions.size() + 10;
        StringBuilder svg = new StringBuilder("<svg width=\"" + (BAR_WIDTH + 200) + "\" height=\"" + height
                + "\" role=\"img\" aria-label=\"Alignment Score per dimension\">");
        int y = 5;
        for (RunReportView.SliceResult slice : dimensions) {
            double score = slice.alignmentScore().mean();
            int width = Double.isNaN(score) ? 0 : (int) Math.round(score * BAR_WIDTH);
            svg.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(escape(slice.slice().get("dimension"))).append("</text>")
                    .append("<rect x=\"80\" y=\"").append(y).append("\" width=\"").append(width).append("\" height=\"18\" fill=\"#4a7fb5\"/>")
                    .append("<text x=\"").append(86 + width).append("\" y=\"").append(y + 14).append("\">")
                    .append(figure(slice.alignmentScore())).append("</text>");
            y += 24;
        }
        return svg.append("</svg>").toString();
    }

    private static String figure(MetricSummary summary) {
        if (Double.isNaN(summary.mean())) {
            return "&ndash;";
        }
        String mean = String.format(Locale.ROOT, "%.3f", summary.mean());
        return summary.repeats() > 1 && !Double.isNaN(summary.standardDeviation())
                ? mean + String.format(Locale.ROOT, " &plusmn; %.3f", summary.standardDeviation()) : mean;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
