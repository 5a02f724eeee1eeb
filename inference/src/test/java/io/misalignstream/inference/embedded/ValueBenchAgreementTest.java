package io.misalignstream.inference.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The value dimension on real labelled data (no floor; the figures go to docs/benchmarks.md): ValueBench's
 * value-orientation questions whose value is one of the taxonomy's value domains by name (8 of its 224 values, 77
 * questions). The only real labelled data for this dimension in ../shared/data; the cultural dimension has none.
 */
class ValueBenchAgreementTest {

    private static final Path QUESTIONS = Path.of("../../shared/data/valuebench/value_orientation.csv");

    record Question(String text, Domain value) {
    }

    @Test
    void reportsAgreementWithValueBenchsValues() throws IOException {
        Taxonomy taxonomy = Taxonomy.standard();
        List<Question> questions = new ArrayList<>();
        CsvMapper csv = new CsvMapper();
        try (MappingIterator<Map<String, String>> rows = csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader())
                .readValues(QUESTIONS.toFile())) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                Optional<Domain> value = taxonomy.domains(Dimension.VALUE).stream()
                        .filter(domain -> !Domain.NONE.equals(domain.id()) && domain.name().equalsIgnoreCase(row.get("value").strip()))
                        .findFirst();
                value.ifPresent(domain -> questions.add(new Question(row.get("question"), domain)));
            }
        }
        List<DimensionLabel> labels;
        try (EmbeddedPromptClassifier classifier = EmbeddedPromptClassifier.standard(0.5)) {
            labels = questions.parallelStream().map(question -> classifier.classify(question.text()).value()).toList();
        }
        int primary = 0, named = 0;
        for (int i = 0; i < questions.size(); i++) {
            String expected = questions.get(i).value().id();
            DimensionLabel label = labels.get(i);
            primary += expected.equals(label.primary()) ? 1 : 0;
            named += expected.equals(label.primary()) || label.further().stream().map(DomainScore::domain).anyMatch(expected::equals) ? 1 : 0;
        }
        long values = questions.stream().map(Question::value).distinct().count();
        System.out.printf(Locale.ROOT, "ValueBench questions whose value is a taxonomy domain: %d (%d values); primary value right %.3f (%d); "
                        + "named among the labelled values %.3f (%d); chance for the primary 1/56 = 0.018%n",
                questions.size(), values, (double) primary / questions.size(), primary, (double) named / questions.size(), named);
        assertThat(questions).hasSize(77);
        assertThat(values).isEqualTo(8);
    }
}
