package io.misalignstream.inference;

import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import java.util.List;

/** Labels for the tests of the response ports, as a classifier would give them. */
public final class TestLabels {

    private static final Provenance CLASSIFIED_BY = new Provenance("openai", "classifier-model", "classify-v1");

    private TestLabels() {
    }

    /** Primary {@code safety} and {@code value} domains (either may be "none"), no cultural domain. */
    public static Labels of(String safety, String value) {
        return new Labels(label(safety), label(value), DimensionLabel.none(0.9), SemanticType.OBJECT, CLASSIFIED_BY);
    }

    public static Labels of(DimensionLabel safety, DimensionLabel value, DimensionLabel cultural) {
        return new Labels(safety, value, cultural, SemanticType.OBJECT, CLASSIFIED_BY);
    }

    public static Labels none() {
        return of("none", "none");
    }

    public static DimensionLabel label(String primary, String... further) {
        return new DimensionLabel(primary, 0.9, List.of(further).stream().map(id -> new DomainScore(id, 0.6)).toList());
    }
}
