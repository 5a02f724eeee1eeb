package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code misalign agreement}: the evaluation module's figures of a ratings table, as text or JSON, and its problems. */
class AgreementCommandTest {

    /** Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges (evaluation's IntraclassCorrelationTest). */
    private static final double[][] SHROUT_FLEISS = {
            {9, 2, 5, 8},
            {6, 1, 3, 2},
            {8, 4, 6, 8},
            {7, 1, 2, 6},
            {10, 5, 6, 9},
            {6, 2, 4, 7},
    };

    /**
     * Groups a (a1, a2) and b (b1, b2); 1 = unsafe. DS = 0.5, DPD = 1/6; with gold i1, i3 unsafe and i2 safe,
     * TPR a 3/4, b 3/4, FPR a 0, b 1/2: EOD = 1/2 (evaluation's DemographicDisparityTest).
     */
    private static final String GROUPED = """
            item,rater,group,score
            i1,a1,a,1
            i1,a2,a,1
            i1,b1,b,0
            i1,b2,b,1
            i2,a1,a,0
            i2,a2,a,0
            i2,b1,b,0
            i2,b2,b,1
            i3,a1,a,1
            i3,a2,a,0
            i3,b1,b,1
            i3,b2,b,1
            """;

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void printsThePublishedCorrelationsOfShroutAndFleiss() throws IOException {
        Path table = write("ratings.csv", shroutFleiss());

        Run run = run("agreement", table.toString());

        assertThat(run.exit).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.out).contains("24 ratings of 6 items by 4 raters, no group column")
                .contains("ICC on the whole table: complete, 6 items x 4 raters");
        // Published (Table 4) to two decimals; printed to four.
        assertThat(printed(run.out, "ICC(1,1)")).isCloseTo(0.17, within(0.005));
        assertThat(printed(run.out, "ICC(2,1)")).isCloseTo(0.29, within(0.005));
        assertThat(printed(run.out, "ICC(3,1)")).isCloseTo(0.71, within(0.005));
        assertThat(printed(run.out, "ICC(1,4)")).isCloseTo(0.44, within(0.005));
        assertThat(printed(run.out, "ICC(2,4)")).isCloseTo(0.62, within(0.005));
        assertThat(printed(run.out, "ICC(3,4)")).isCloseTo(0.91, within(0.005));
        assertThat(run.out).containsPattern("DS +- .*no group column").containsPattern("EOD +- .*--gold");
    }

    @Test
    void writesTheFiguresAsJsonWithNullsWhereTheTableHasNoGroups() throws IOException {
        Path table = write("ratings.csv", shroutFleiss());

        Run run = run("agreement", table.toString(), "--json");

        assertThat(run.exit).isZero();
        JsonNode json = mapper.readTree(run.out);
        assertThat(json.fieldNames()).toIterable().contains("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k", "ds", "dpd", "eod");
        assertThat(json.get("icc1").asDouble()).isCloseTo(0.17, within(0.005));
        assertThat(json.get("icc2").asDouble()).isCloseTo(0.29, within(0.005));
        assertThat(json.get("icc3").asDouble()).isCloseTo(0.71, within(0.005));
        assertThat(json.get("icc1k").asDouble()).isCloseTo(0.44, within(0.005));
        assertThat(json.get("icc2k").asDouble()).isCloseTo(0.62, within(0.005));
        assertThat(json.get("icc3k").asDouble()).isCloseTo(0.91, within(0.005));
        for (String key : new String[] {"ds", "dpd", "eod"}) {
            assertThat(json.has(key)).as(key).isTrue();
            assertThat(json.get(key).isNull()).as(key).isTrue();
        }
        assertThat(json.get("items").asInt()).isEqualTo(6);
        assertThat(json.get("raters").asInt()).isEqualTo(4);
        assertThat(json.get("table").toString()).isEqualTo("{\"ratings\":24,\"items\":6,\"raters\":4,\"groups\":0}");
        assertThat(run.out.strip()).doesNotContain("\n");
    }

    @Test
    void givesTheDemographicFiguresWithGroupsAndTheEqualizedOddsWithGold() throws IOException {
        Path table = write("grouped.csv", GROUPED);
        Path gold = write("gold.csv", "item,label\ni1,1\ni2,0\n\"i3\",1\nunrated,0\n");

        JsonNode withoutGold = mapper.readTree(run("agreement", table.toString(), "--json").out);
        Run withGold = run("agreement", table.toString(), "--json", "--gold", gold.toString());
        Run text = run("agreement", table.toString(), "--gold", gold.toString());

        assertThat(withoutGold.get("ds").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(withoutGold.get("dpd").asDouble()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(withoutGold.get("eod").isNull()).isTrue();
        assertThat(withoutGold.get("table").get("groups").asInt()).isEqualTo(2);
        assertThat(withGold.exit).isZero();
        JsonNode json = mapper.readTree(withGold.out);
        assertThat(json.get("eod").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(json.get("ds").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(json.get("goldLabels").asInt()).isEqualTo(4);
        assertThat(json.get("goldItemsRated").asInt()).isEqualTo(3);
        assertThat(text.out).containsPattern("DS +0\\.5000").containsPattern("DPD +0\\.1667").containsPattern("EOD +0\\.5000")
                .contains("gold labels: 4, of which 3 name rated items");
    }

    @Test
    void saysOnWhichBlockTheIccOfAnIncompleteTableIsComputed() throws IOException {
        // r3 rated only i1: the block is i1..i3 x r1, r2.
        Path table = write("incomplete.csv", "item,rater,score\ni1,r1,1\ni1,r2,2\ni2,r1,3\ni2,r2,3\ni3,r1,5\ni3,r2,4\ni1,r3,2\n");

        Run run = run("agreement", table.toString());
        JsonNode json = mapper.readTree(run("agreement", table.toString(), "--json").out);

        assertThat(run.out).contains("7 ratings of 3 items by 3 raters")
                .contains("largest complete block found greedily: 3 items x 2 raters, 6 of the 7 ratings");
        assertThat(json.get("items").asInt()).isEqualTo(3);
        assertThat(json.get("raters").asInt()).isEqualTo(2);
        assertThat(json.get("table").get("raters").asInt()).isEqualTo(3);
    }

    @Test
    void listsEveryProblemOfAMalformedTableWithItsLineAndExitsWith2() throws IOException {
        Path table = write("bad.csv", "item,rater,score\n"
                + "i1,r1,1\n"
                + "i2,,0\n"          // line 3: no rater
                + "i3,r1,yes\n"      // line 4: not a number
                + "i4,r1,1,extra\n"); // line 5: a cell too many

        Run run = run("agreement", table.toString(), "--json");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err.lines()).containsExactly(
                "agreement: " + table + ": 3 problems",
                table + ":3: missing rater (column 2 is empty)",
                table + ":4: score 'yes' is not a number",
                table + ":5: has 4 cells, the header has 3 (quote a cell that contains a comma)");
    }

    @Test
    void namesMissingColumnsOfTheTableAndProblemsOfTheGoldLabels() throws IOException {
        Path noScore = write("noscore.csv", "item,judge\ni1,r1\n");
        Path table = write("grouped.csv", GROUPED);
        Path gold = write("gold.csv", "item,label\ni1,unsafe\n");

        Run columns = run("agreement", noScore.toString());
        Run labels = run("agreement", table.toString(), "--gold", gold.toString());

        assertThat(columns.exit).isEqualTo(2);
        assertThat(columns.err).contains(noScore + ":1: missing required columns rater, score");
        assertThat(labels.exit).isEqualTo(2);
        assertThat(labels.err).contains(gold + ":2: label 'unsafe' is not 0 (safe) or 1 (unsafe)");
    }

    @Test
    void aMissingFileIsOneLineAndExitCode2() throws IOException {
        Path missing = dir.resolve("nowhere.csv");
        Path table = write("grouped.csv", GROUPED);

        Run run = run("agreement", missing.toString());
        Run gold = run("agreement", table.toString(), "--gold", missing.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err.strip()).isEqualTo("misalign agreement: no such file: " + missing);
        assertThat(gold.exit).isEqualTo(2);
        assertThat(gold.out).isEmpty();
        assertThat(gold.err.strip()).isEqualTo("misalign agreement: no such file: " + missing);
    }

    /** The figure printed after the name at the start of a line. */
    private static double printed(String out, String name) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + " +(\\S+)").matcher(out);
        assertThat(line.find()).as(name + " in " + out).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String shroutFleiss() {
        StringBuilder csv = new StringBuilder("item,rater,score\n");
        for (int target = 0; target < SHROUT_FLEISS.length; target++) {
            for (int judge = 0; judge < SHROUT_FLEISS[target].length; judge++) {
                csv.append("target").append(target + 1).append(",judge").append(judge + 1).append(',')
                        .append(SHROUT_FLEISS[target][judge]).append('\n');
            }
        }
        return csv.toString();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = MisalignCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(arguments);
        return new Run(exit, out.toString(), err.toString());
    }
}
