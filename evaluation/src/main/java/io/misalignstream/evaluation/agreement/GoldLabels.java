package io.misalignstream.evaluation.agreement;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gold labels of a rater-agreement study, as {@link AgreementReport#of(RatingsTable, Map)} and
 * {@link DemographicDisparity#equalizedOddsDifference} take them: item → {@code true} when the item is unsafe.
 * Read from CSV with the columns {@code item} and {@code label} (1 = unsafe, 0 = safe), read as
 * {@link RatingsTable#parseCsv(Reader)} reads a ratings table: any column order, further columns ignored, header case
 * and spaces ignored, every problem reported at once with its line.
 */
public final class GoldLabels {

    public static final String ITEM = "item";
    public static final String LABEL = "label";

    private GoldLabels() {
    }

    /**
     * Reads gold labels. Problems: a missing required column, a row whose cell count differs from the header's, an
     * empty item or label cell, a label other than 0 or 1, an item labelled twice, a malformed quoted cell, a table
     * without labels.
     *
     * @return item → unsafe, in input order, unmodifiable
     * @throws RatingsFormatException when the table has any such problem
     */
    public static Map<String, Boolean> parseCsv(Reader in) throws IOException {
        StringWriter text = new StringWriter();
        in.transferTo(text);
        return parseCsv(text.toString());
    }

    /** {@link #parseCsv(Reader)} of a string. */
    public static Map<String, Boolean> parseCsv(String csv) {
        CsvRecords records = CsvRecords.parse(csv);
        List<RatingsFormatException.Problem> problems = new ArrayList<>(records.problems());
        Map<String, Boolean> labels = read(records.records(), problems);
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(RatingsFormatException.Problem::line));
            throw new RatingsFormatException("gold labels", problems);
        }
        return Collections.unmodifiableMap(labels);
    }

    private static Map<String, Boolean> read(List<CsvRecords.CsvRecord> records, List<RatingsFormatException.Problem> problems) {
        Map<String, Boolean> labels = new LinkedHashMap<>();
        if (records.isEmpty()) {
            problems.add(new RatingsFormatException.Problem(1, "no header: the table is empty"));
            return labels;
        }
        CsvRecords.CsvRecord header = records.get(0);
        int item = -1;
        int label = -1;
        for (int i = 0; i < header.cells().size(); i++) {
            String name = header.cells().get(i).strip().toLowerCase(Locale.ROOT);
            if (name.equals(ITEM) || name.equals(LABEL)) {
                if (name.equals(ITEM) ? item >= 0 : label >= 0) {
                    problems.add(new RatingsFormatException.Problem(header.line(), "column '" + name + "' appears twice in the header"));
                } else if (name.equals(ITEM)) {
                    item = i;
                } else {
                    label = i;
                }
            }
        }
        if (item < 0 || label < 0) {
            String missing = item < 0 && label < 0 ? "s item, label" : item < 0 ? " item" : " label";
            problems.add(new RatingsFormatException.Problem(header.line(), "missing required column" + missing
                    + " (the header has " + String.join(", ", header.cells()) + ")"));
            return labels;
        }
        if (records.size() == 1) {
            problems.add(new RatingsFormatException.Problem(header.line(), "no labels after the header"));
        }
        Map<String, Integer> labelledOn = new HashMap<>();
        for (CsvRecords.CsvRecord row : records.subList(1, records.size())) {
            if (row.malformed()) {
                continue; // already reported
            }
            if (row.cells().size() != header.cells().size()) {
                problems.add(new RatingsFormatException.Problem(row.line(), "has " + row.cells().size() + " cells, the header has "
                        + header.cells().size() + " (quote a cell that contains a comma)"));
                continue;
            }
            String name = row.cells().get(item).strip();
            String value = row.cells().get(label).strip();
            if (name.isEmpty()) {
                problems.add(new RatingsFormatException.Problem(row.line(), "missing item (column " + (item + 1) + " is empty)"));
            }
            if (value.isEmpty()) {
                problems.add(new RatingsFormatException.Problem(row.line(), "missing label (column " + (label + 1) + " is empty)"));
            } else if (!value.equals("0") && !value.equals("1")) {
                problems.add(new RatingsFormatException.Problem(row.line(), "label '" + value + "' is not 0 (safe) or 1 (unsafe)"));
                continue;
            }
            if (name.isEmpty() || value.isEmpty()) {
                continue;
            }
            Integer earlier = labelledOn.putIfAbsent(name, row.line());
            if (earlier != null) {
                problems.add(new RatingsFormatException.Problem(row.line(), "item '" + name + "' already has a label on line " + earlier));
                continue;
            }
            labels.put(name, value.equals("1"));
        }
        return labels;
    }
}
