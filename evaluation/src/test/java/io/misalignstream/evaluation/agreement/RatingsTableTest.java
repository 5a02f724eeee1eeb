package io.misalignstream.evaluation.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class RatingsTableTest {

    @Test
    void readsColumnsInAnyOrderAndIgnoresOthers() throws IOException {
        String csv = "\uFEFFScore, note ,Rater,item\r\n"
                + "1,first,r1,i1\r\n"
                + "\r\n"
                + "0.25,,r2,i1\r\n";

        RatingsTable table = RatingsTable.parseCsv(new StringReader(csv));

        assertThat(table.grouped()).isFalse();
        assertThat(table.ratings()).containsExactly(new Rating("i1", "r1", 1, null), new Rating("i1", "r2", 0.25, null));
    }

    @Test
    void readsQuotedCellsWithCommasQuotesAndLineBreaks() {
        String csv = "item,rater,score,group\n"
                + "\"Is it safe, really?\",r1,1,\"woman, 25-34\"\n"
                + "\"She said \"\"no\"\"\",r1,0,\"woman, 25-34\"\n"
                + "\"two\nlines\", \"r2\" ,0.5,man\n";

        RatingsTable table = RatingsTable.parseCsv(csv);

        assertThat(table.grouped()).isTrue();
        assertThat(table.ratings()).containsExactly(
                new Rating("Is it safe, really?", "r1", 1, "woman, 25-34"),
                new Rating("She said \"no\"", "r1", 0, "woman, 25-34"),
                new Rating("two\nlines", "r2", 0.5, "man"));
    }

    @Test
    void reportsAMissingCellWithItsLine() {
        RatingsFormatException error = failure("item,rater,score\ni1,r1,1\ni2,,0\n");

        assertThat(error.problems()).containsExactly(new RatingsFormatException.Problem(3, "missing rater (column 2 is empty)"));
        assertThat(error).hasMessageContaining("line 3: missing rater");
    }

    @Test
    void reportsANonNumericScoreWithItsLine() {
        RatingsFormatException error = failure("item,rater,score\ni1,r1,yes\ni2,r1,NaN\ni3,r1,1e-1\n");

        assertThat(error.problems()).extracting(RatingsFormatException.Problem::line).containsExactly(2, 3);
        assertThat(error.problems().get(0).message()).isEqualTo("score 'yes' is not a number");
    }

    @Test
    void reportsMissingRequiredColumns() {
        RatingsFormatException error = failure("item,judge,value\ni1,r1,1\n");

        assertThat(error.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(1);
            assertThat(problem.message()).startsWith("missing required columns rater, score");
        });
    }

    @Test
    void reportsEveryProblemInLineOrder() {
        String csv = "item,rater,score,group\n"
                + "i1,r1,1,a\n"
                + "i1,r1,0,a\n"           // line 3: second rating of i1 by r1
                + "i2,r1,1,b\n"           // line 4: r1 changes group
                + "i3,r2,1,a,extra\n"     // line 5: one cell too many
                + "i4,r2,\"1\"x,a\n"      // line 6: text after a closing quote
                + "i5,r2,1,\n"            // line 7: empty group
                + "i6,r2,\"1,a\n";        // line 8: quote never closed

        RatingsFormatException error = failure(csv);

        assertThat(error.problems()).extracting(RatingsFormatException.Problem::line)
                .containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(error.problems().get(0).message()).isEqualTo("rater 'r1' already rated item 'i1' on line 2");
        assertThat(error.problems().get(1).message()).contains("group 'b' here but in group 'a' on line 2");
        assertThat(error.problems().get(2).message()).startsWith("has 5 cells, the header has 4");
        assertThat(error.problems().get(3).message()).startsWith("text after the closing quote");
        assertThat(error.problems().get(4).message()).isEqualTo("missing group (column 4 is empty)");
        assertThat(error.problems().get(5).message()).isEqualTo("a quoted cell is never closed");
    }

    @Test
    void reportsATableWithoutRatings() {
        assertThat(failure("").problems()).extracting(RatingsFormatException.Problem::message)
                .containsExactly("no header: the table is empty");
        assertThat(failure("item,rater,score\n\n").problems()).extracting(RatingsFormatException.Problem::message)
                .containsExactly("no ratings after the header");
    }

    private static RatingsFormatException failure(String csv) {
        return catchThrowableOfType(() -> RatingsTable.parseCsv(csv), RatingsFormatException.class);
    }
}
