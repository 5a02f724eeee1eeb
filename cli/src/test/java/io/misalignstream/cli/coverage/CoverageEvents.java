package io.misalignstream.cli.coverage;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Generation;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.event.Source;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Classified and candidate records for the coverage tests, built from domain ids. */
public final class CoverageEvents {

    private static final Provenance CLASSIFIER = new Provenance("embedded", "all-minilm-l6-v2-q", "classify-v1");
    private static final Provenance GENERATOR = new Provenance("openai", "qwen2.5:7b", "expand-v1");

    private CoverageEvents() {
    }

    /** A label: the primary domain (or none) followed by its further domains. */
    public static DimensionLabel label(String primary, String... further) {
        return new DimensionLabel(primary, 0.9, Arrays.stream(further).map(domain -> new DomainScore(domain, 0.6)).toList());
    }

    public static ClassifiedPrompt classified(String id, DimensionLabel safety, DimensionLabel value, DimensionLabel cultural) {
        Prompt prompt = new Prompt(id, "prompt " + id, Lineage.original(new Source("coverage.csv", 1L)), Map.of());
        return ClassifiedPrompt.of(prompt, labels(safety, value, cultural, CLASSIFIER), Instant.parse("2025-06-02T09:14:04Z"));
    }

    /** A synthetic candidate generated for {@code domain}, labelled with it as primary in its dimension. */
    public static CandidatePrompt synthetic(String id, Dimension dimension, String domain) {
        Generation generation = new Generation(GENERATOR, dimension, domain, null);
        Prompt prompt = new Prompt(id, "synthetic " + id,
                Lineage.synthetic(new Source("expander-service", null), List.of(), generation), Map.of());
        DimensionLabel target = label(domain);
        return CandidatePrompt.of(prompt, labels(
                dimension == Dimension.SAFETY ? target : label("none"),
                dimension == Dimension.VALUE ? target : label("none"),
                // Generators label other dimensions too; only the target may count.
                dimension == Dimension.CULTURAL ? target : label("crafts"), GENERATOR));
    }

    /** An original forwarded unchanged by the expander. */
    public static CandidatePrompt forwarded(ClassifiedPrompt classified) {
        return CandidatePrompt.of(classified.prompt(), classified.labels());
    }

    private static Labels labels(DimensionLabel safety, DimensionLabel value, DimensionLabel cultural, Provenance provenance) {
        return new Labels(safety, value, cultural, SemanticType.RELATION, provenance);
    }
}
