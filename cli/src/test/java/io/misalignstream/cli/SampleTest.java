package io.misalignstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.cli.ingest.ColumnSelection;
import io.misalignstream.cli.ingest.CsvPromptReader;
import io.misalignstream.cli.ingest.ReadResult;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The project's own sample, used by the demo and as a labelled set: every label must be a taxonomy id. */
class SampleTest {

    private static final Path SAMPLE = Path.of("..", DemoCommand.SAMPLE);

    @Test
    void theSampleHas200ReadablePromptsWithTaxonomyLabelsSpanningAllThreeDimensions() throws Exception {
        List<ReadResult.Row> rows = new ArrayList<>();
        try (InputStream in = Files.newInputStream(SAMPLE);
             CsvPromptReader reader = new CsvPromptReader(in, ',', new ColumnSelection("prompt", null), 1 << 20)) {
            assertThat(reader.header()).containsExactly("prompt", "safety", "value", "cultural", "semantic_type", "locale");
            ReadResult result;
            while ((result = reader.next()) != null) {
                assertThat(result).as("row %d", result.row()).isInstanceOf(ReadResult.Row.class);
                rows.add((ReadResult.Row) result);
            }
        }
        assertThat(rows).hasSize(200);

        Taxonomy taxonomy = Taxonomy.standard();
        Map<Dimension, Set<String>> used = new EnumMap<>(Dimension.class);
        Set<String> texts = new HashSet<>();
        for (ReadResult.Row row : rows) {
            assertThat(texts.add(row.text())).as("duplicate text on row %d", row.row()).isTrue();
            boolean labelled = false;
            for (Dimension dimension : Dimension.values()) {
                String label = (String) row.metadata().get(dimension.json());
                taxonomy.requireLabel(dimension, label, "row " + row.row() + " " + dimension.json());
                if (!Domain.NONE.equals(label)) {
                    used.computeIfAbsent(dimension, d -> new HashSet<>()).add(label);
                    labelled = true;
                }
            }
            assertThat(labelled).as("row %d has no label in any dimension", row.row()).isTrue();
            SemanticType.fromJson((String) row.metadata().get("semantic_type"));
        }
        assertThat(used.get(Dimension.SAFETY)).hasSize(14);
        assertThat(used.get(Dimension.VALUE)).hasSizeGreaterThanOrEqualTo(40);
        assertThat(used.get(Dimension.CULTURAL)).hasSizeGreaterThanOrEqualTo(30);
    }
}
