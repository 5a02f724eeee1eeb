package io.misalignstream.evaluation.agreement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GoldLabelsTest {

    @Test
    void readsColumnsInAnyOrderWithQuotedItemsAndFeedsTheEqualizedOdds() throws IOException {
        String csv = "\uFEFFnote, Label ,Item\r\n"
                + "first,1,i1\r\n"
                + "\r\n"
                + ",0,i2\r\n"
                + "\"x, y\",1,\"i3\"\r\n";

        Map<String, Boolean> gold = GoldLabels.parseCsv(new StringReader(csv));

        assertThat(gold).containsExactly(entry("i1", true), entry("i2", false), entry("i3", true));
        assertThat(gold).isEqualTo(DemographicDisparityTest.GOLD);
        AgreementReport report = AgreementReport.of(RatingsTable.parseCsv(DemographicDisparityTest.TABLE), gold);
        assertThat(report.eod()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        String csv = "item,label\n"
                + "i1,1\n"
                + "i2,yes\n"      // line 3: not 0 or 1
                + ",0\n"          // line 4: no item
                + "i1,0\n"        // line 5: labelled twice
                + "i4,1,extra\n"  // line 6: one cell too many
                + "i5,\n";        // line 7: no label

        RatingsFormatException error = catchThrowableOfType(RatingsFormatException.class, () -> GoldLabels.parseCsv(csv));

        assertThat(error.problems()).extracting(RatingsFormatException.Problem::line).containsExactly(3, 4, 5, 6, 7);
        assertThat(error.problems().get(0).message()).isEqualTo("label 'yes' is not 0 (safe) or 1 (unsafe)");
        assertThat(error.problems().get(2).message()).isEqualTo("item 'i1' already has a label on line 2");
        assertThat(error).hasMessageStartingWith("gold labels: 5 problems: line 3: label 'yes'");
    }

    @Test
    void reportsMissingColumnsAndAnEmptyTable() {
        RatingsFormatException noLabel = catchThrowableOfType(RatingsFormatException.class,
                () -> GoldLabels.parseCsv("item,gold\ni1,1\n"));
        RatingsFormatException empty = catchThrowableOfType(RatingsFormatException.class, () -> GoldLabels.parseCsv(""));
        RatingsFormatException headerOnly = catchThrowableOfType(RatingsFormatException.class,
                () -> GoldLabels.parseCsv("item,label\n"));

        assertThat(noLabel.problems()).singleElement()
                .isEqualTo(new RatingsFormatException.Problem(1, "missing required column label (the header has item, gold)"));
        assertThat(empty.problems()).singleElement().extracting(RatingsFormatException.Problem::line).isEqualTo(1);
        assertThat(headerOnly.problems()).singleElement()
                .isEqualTo(new RatingsFormatException.Problem(1, "no labels after the header"));
    }
}
