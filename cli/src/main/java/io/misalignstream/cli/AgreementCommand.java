package io.misalignstream.cli;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.evaluation.agreement.AgreementReport;
import io.misalignstream.evaluation.agreement.GoldLabels;
import io.misalignstream.evaluation.agreement.Rating;
import io.misalignstream.evaluation.agreement.RatingsFormatException;
import io.misalignstream.evaluation.agreement.RatingsTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "agreement", mixinStandardHelpOptions = true,
        description = {"Rater agreement of a ratings table (CSV with the columns item, rater, score and, optional, group): "
                + "ICC(1,1), ICC(2,1), ICC(3,1) and their k-rater forms (Shrout & Fleiss 1979) on the largest complete "
                + "items x raters block found greedily; demographic sensitivity DS, parity difference DPD and, with --gold, "
                + "equalized odds difference EOD over all ratings (scores read as the probability that the item is unsafe, "
                + "flagged at 0.5).",
                "A table with problems: every problem with its line on standard error, exit code 2."})
final class AgreementCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The ratings table (CSV).")
    Path file;

    @Option(names = "--gold", paramLabel = "FILE", description = "Gold labels for EOD: a CSV with the columns item and label (1 = unsafe, 0 = safe).")
    Path goldFile;

    @Option(names = "--json", description = "Print one JSON object: icc1, icc2, icc3, icc1k, icc2k, icc3k, ds, dpd, eod "
            + "(null when not computable), items and raters (the ICC's complete block), table {ratings, items, raters, groups}"
            + " and, with --gold, goldLabels and goldItemsRated.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RatingsTable table;
        Map<String, Boolean> gold = Map.of();
        try {
            table = RatingsTable.parseCsv(read(file));
        } catch (RatingsFormatException e) {
            return problems(err, file, e);
        }
        if (goldFile != null) {
            try {
                gold = GoldLabels.parseCsv(read(goldFile));
            } catch (RatingsFormatException e) {
                return problems(err, goldFile, e);
            }
        }
        AgreementReport report = AgreementReport.of(table, gold);
        long groups = table.grouped() ? table.ratings().stream().map(Rating::group).distinct().count() : 0;
        Map<String, Boolean> labels = gold;
        long goldRated = table.items().stream().filter(labels::containsKey).count();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("icc1", report.icc1());
            document.put("icc2", report.icc2());
            document.put("icc3", report.icc3());
            document.put("icc1k", report.icc1k());
            document.put("icc2k", report.icc2k());
            document.put("icc3k", report.icc3k());
            document.put("ds", report.ds());
            document.put("dpd", report.dpd());
            document.put("eod", report.eod());
            document.put("items", report.items());
            document.put("raters", report.raters());
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("ratings", table.ratings().size());
            counts.put("items", table.items().size());
            counts.put("raters", table.raters().size());
            counts.put("groups", groups);
            document.put("table", counts);
            if (goldFile != null) {
                document.put("goldLabels", gold.size());
                document.put("goldItemsRated", goldRated);
            }
            out.println(EventCodec.encodeToString(document));
            out.flush();
            return 0;
        }
        int k = report.raters();
        out.printf(Locale.ROOT, "%s: %d ratings of %d items by %d raters, %s%n", file, table.ratings().size(), table.items().size(),
                table.raters().size(), table.grouped() ? groups + (groups == 1 ? " group" : " groups") : "no group column");
        out.println(block(table, report));
        out.println();
        String kLabel = k > 0 ? Integer.toString(k) : "k";
        boolean blockExists = report.items() > 0;
        String undefined = blockExists ? "undefined (a zero denominator: e.g. every item scored alike)" : "undefined (no complete block)";
        line(out, "ICC(1,1)", report.icc1(), "one-way random, single rater", undefined);
        line(out, "ICC(2,1)", report.icc2(), "two-way random, absolute agreement, single rater", undefined);
        line(out, "ICC(3,1)", report.icc3(), "two-way mixed, consistency, single rater", undefined);
        line(out, "ICC(1," + kLabel + ")", report.icc1k(), "one-way random, mean of " + kLabel + " raters", undefined);
        line(out, "ICC(2," + kLabel + ")", report.icc2k(), "two-way random, absolute agreement, mean of " + kLabel + " raters", undefined);
        line(out, "ICC(3," + kLabel + ")", report.icc3k(), "two-way mixed, consistency, mean of " + kLabel + " raters", undefined);
        String demographic = !table.grouped() ? "not computable: the table has no group column"
                : groups < 2 ? "not computable: only one group" : "not computable";
        line(out, "DS", report.ds(), "demographic sensitivity: mean over items of the spread of group means", demographic);
        line(out, "DPD", report.dpd(), "demographic parity difference: spread of P(flag | group)", demographic);
        String eodMissing = goldFile == null ? (table.grouped() ? "not computable: needs gold labels (--gold FILE)"
                : "not computable: needs a group column and gold labels (--gold FILE)")
                : goldRated == 0 ? "not computable: no gold label names a rated item" : demographic;
        line(out, "EOD", report.eod(), "equalized odds difference: larger spread of TPR and FPR over groups", eodMissing);
        if (goldFile != null) {
            out.printf(Locale.ROOT, "%ngold labels: %d, of which %d name rated items (items without a label are left out of EOD)%n",
                    gold.size(), goldRated);
        }
        out.flush();
        return 0;
    }

    private static String block(RatingsTable table, AgreementReport report) {
        if (report.items() == 0) {
            return "ICC: no complete block of at least 2 items x 2 raters (every pair of raters shares fewer than 2 items)";
        }
        long used = (long) report.items() * report.raters();
        if (report.items() == table.items().size() && report.raters() == table.raters().size()) {
            return String.format(Locale.ROOT, "ICC on the whole table: complete, %d items x %d raters", report.items(), report.raters());
        }
        return String.format(Locale.ROOT, "ICC on the largest complete block found greedily: %d items x %d raters, %d of the %d ratings "
                        + "(the table is incomplete); DS, DPD and EOD use every rating",
                report.items(), report.raters(), used, table.ratings().size());
    }

    private static void line(PrintWriter out, String name, Double value, String meaning, String whenMissing) {
        out.printf(Locale.ROOT, "%-9s %-7s %s%n", name, value == null ? "-" : String.format(Locale.ROOT, "%.4f", value),
                value == null ? meaning + "; " + whenMissing : meaning);
    }

    /** Every problem on a line of its own, as {@code FILE:LINE: message}; exit code 2. */
    private static int problems(PrintWriter err, Path source, RatingsFormatException e) {
        err.printf(Locale.ROOT, "agreement: %s: %d %s%n", source, e.problems().size(), e.problems().size() == 1 ? "problem" : "problems");
        e.problems().forEach(problem -> err.printf(Locale.ROOT, "%s:%d: %s%n", source, problem.line(), problem.message()));
        err.flush();
        return 2;
    }

    private static String read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(path + ": not UTF-8 text", e);
        }
    }
}
