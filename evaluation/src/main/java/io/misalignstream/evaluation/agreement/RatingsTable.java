package io.misalignstream.evaluation.agreement;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ratings of a rater-agreement study: one score per (item, rater), and each rater's demographic group when
 * the table has one. Read from CSV by {@link #parseCsv(Reader)}.
 *
 * @param ratings the ratings in input order, at most one per (item, rater)
 * @param grouped whether every rating carries its rater's group (none does otherwise)
 */
public record RatingsTable(List<Rating> ratings, boolean grouped) {

    /** Header names of the columns read; any order, any further columns ignored, case and spaces ignored. */
    public static final String ITEM = "item";
    public static final String RATER = "rater";
    public static final String SCORE = "score";
    public static final String GROUP = "group";

    public RatingsTable {
        ratings = List.copyOf(ratings);
        Map<String, String> groups = new HashMap<>();
        Set<String> pairs = new HashSet<>();
        for (Rating rating : ratings) {
            if (grouped != (rating.group() != null)) {
                throw new IllegalArgumentException("ratings: either every rating has a group or none has");
            }
            if (!pairs.add(rating.item() + '\u0000' + rating.rater())) {
                throw new IllegalArgumentException("ratings: rater " + rating.rater() + " rates item " + rating.item()
                        + " twice");
            }
            String known = grouped ? groups.putIfAbsent(rating.rater(), rating.group()) : null;
            if (known != null && !known.equals(rating.group())) {
                throw new IllegalArgumentException("ratings: rater " + rating.rater() + " is in two groups");
            }
        }
    }

    /**
     * Reads a ratings table. The header names the columns {@code item}, {@code rater}, {@code score} and, optional,
     * {@code group}. Every problem found is reported at once, with its line: a missing required column, a row
     * whose cell count differs from the header's, an empty item, rater, score or group cell, a score that is not
     * a finite number, a second rating of an item by the same rater, a rater in two groups, a malformed quoted
     * cell, a table without ratings.
     *
     * @throws RatingsFormatException when the table has any such problem
     */
    public static RatingsTable parseCsv(Reader in) throws IOException {
        StringWriter text = new StringWriter();
        in.transferTo(text);
        return parseCsv(text.toString());
    }

    /** {@link #parseCsv(Reader)} of a string. */
    public static RatingsTable parseCsv(String csv) {
        return new CsvReading(CsvRecords.parse(csv)).table();
    }

    /**
     * A table of ratings built in code; grouped when the ratings carry groups.
     *
     * @throws IllegalArgumentException when only some ratings carry a group, a rater rates an item twice or a rater
     *                                  is in two groups
     */
    public static RatingsTable of(List<Rating> ratings) {
        Objects.requireNonNull(ratings, "ratings");
        return new RatingsTable(ratings, !ratings.isEmpty() && ratings.get(0).group() != null);
    }

    /** The items in order of first appearance. */
    public List<String> items() {
        Set<String> items = new LinkedHashSet<>();
        ratings.forEach(rating -> items.add(rating.item()));
        return List.copyOf(items);
    }

    /** The raters in order of first appearance. */
    public List<String> raters() {
        Set<String> raters = new LinkedHashSet<>();
        ratings.forEach(rating -> raters.add(rating.rater()));
        return List.copyOf(raters);
    }

    /** Turns CSV records into ratings, collecting every problem before failing. */
    private static final class CsvReading {

        // Plain decimals only: Double.parseDouble would also take "NaN", "1d" or hexadecimal.
        private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

        private final CsvRecords csv;
        private final List<RatingsFormatException.Problem> problems;

        CsvReading(CsvRecords csv) {
            this.csv = csv;
            this.problems = new ArrayList<>(csv.problems());
        }

        RatingsTable table() {
            List<CsvRecords.CsvRecord> records = csv.records();
            if (records.isEmpty()) {
                problem(1, "no header: the table is empty");
                throw failure();
            }
            CsvRecords.CsvRecord header = records.get(0);
            Map<String, Integer> columns = columns(header);
            if (!columns.keySet().containsAll(List.of(ITEM, RATER, SCORE))) {
                throw failure();
            }
            if (records.size() == 1) {
                problem(header.line(), "no ratings after the header");
            }
            boolean grouped = columns.containsKey(GROUP);
            List<Rating> ratings = new ArrayList<>(records.size() - 1);
            Map<String, Integer> ratedOn = new HashMap<>();
            Map<String, String> groups = new HashMap<>();
            Map<String, Integer> groupedOn = new HashMap<>();
            for (CsvRecords.CsvRecord row : records.subList(1, records.size())) {
                if (row.malformed()) {
                    continue; // already reported; its cells would only add follow-on errors
                }
                if (row.cells().size() != header.cells().size()) {
                    problem(row.line(), "has " + row.cells().size() + " cells, the header has " + header.cells().size()
                            + " (quote a cell that contains a comma)");
                    continue;
                }
                String item = cell(row, columns.get(ITEM), ITEM);
                String rater = cell(row, columns.get(RATER), RATER);
                String scoreText = cell(row, columns.get(SCORE), SCORE);
                String group = grouped ? cell(row, columns.get(GROUP), GROUP) : null;
                Double score = scoreText == null ? null : score(row.line(), scoreText);
                if (item == null || rater == null || score == null || grouped && group == null) {
                    continue;
                }
                Integer earlier = ratedOn.putIfAbsent(item + '\u0000' + rater, row.line());
                if (earlier != null) {
                    problem(row.line(), "rater '" + rater + "' already rated item '" + item + "' on line " + earlier);
                    continue;
                }
                if (grouped) {
                    String known = groups.putIfAbsent(rater, group);
                    groupedOn.putIfAbsent(rater, row.line());
                    if (known != null && !known.equals(group)) {
                        problem(row.line(), "rater '" + rater + "' is in group '" + group + "' here but in group '"
                                + known + "' on line " + groupedOn.get(rater));
                        continue;
                    }
                }
                ratings.add(new Rating(item, rater, score, group));
            }
            if (!problems.isEmpty()) {
                throw failure();
            }
            return new RatingsTable(ratings, grouped);
        }

        private Map<String, Integer> columns(CsvRecords.CsvRecord header) {
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.cells().size(); i++) {
                String name = header.cells().get(i).strip().toLowerCase(Locale.ROOT);
                if (List.of(ITEM, RATER, SCORE, GROUP).contains(name) && columns.putIfAbsent(name, i) != null) {
                    problem(header.line(), "column '" + name + "' appears twice in the header");
                }
            }
            List<String> missing = new ArrayList<>();
            for (String required : List.of(ITEM, RATER, SCORE)) {
                if (!columns.containsKey(required)) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                problem(header.line(), "missing required column" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + " (the header has " + String.join(", ", header.cells()) + ")");
            }
            return columns;
        }

        private String cell(CsvRecords.CsvRecord row, int column, String name) {
            String value = row.cells().get(column).strip();
            if (value.isEmpty()) {
                problem(row.line(), "missing " + name + " (column " + (column + 1) + " is empty)");
                return null;
            }
            return value;
        }

        private Double score(int line, String text) {
            if (DECIMAL.matcher(text).matches()) {
                double score = Double.parseDouble(text);
                if (Double.isFinite(score)) {
                    return score;
                }
            }
            problem(line, "score '" + text + "' is not a number");
            return null;
        }

        private void problem(int line, String message) {
            problems.add(new RatingsFormatException.Problem(line, message));
        }

        private RatingsFormatException failure() {
            problems.sort(Comparator.comparingInt(RatingsFormatException.Problem::line));
            return new RatingsFormatException(problems);
        }
    }
}
