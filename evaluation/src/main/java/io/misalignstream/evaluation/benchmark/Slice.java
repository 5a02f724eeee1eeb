package io.misalignstream.evaluation.benchmark;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.SemanticType;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A subset of a run's verdicts that metrics are reported over. {@code coordinates} is the {@code slice} object of
 * a {@code metrics.events} record: {@code {}} for the whole run, {@code {"dimension": "value"}},
 * {@code {"dimension": "value", "domain": "health"}}, {@code {"semanticType": "object"}},
 * {@code {"origin": "synthetic"}}, or {@code {"labelledDimensions": "single"}} / {@code "multiple"} for the pairs
 * labelled in exactly one / in two or three dimensions.
 *
 * @param kind        which family of slices this one belongs to
 * @param coordinates the slice's keys and values, in a fixed order
 */
public record Slice(Kind kind, Map<String, String> coordinates) implements Comparable<Slice> {

    /** The families of slices, in report order. */
    public enum Kind {
        ALL, DIMENSION, DOMAIN, SEMANTIC_TYPE, ORIGIN, LABELLED_DIMENSIONS
    }

    public static final String DIMENSION = "dimension";
    public static final String DOMAIN = "domain";
    public static final String SEMANTIC_TYPE = "semanticType";
    public static final String ORIGIN = "origin";
    public static final String LABELLED_DIMENSIONS = "labelledDimensions";
    public static final String SINGLE = "single";
    public static final String MULTIPLE = "multiple";

    private static final Slice ALL_VERDICTS = new Slice(Kind.ALL, Map.of());
    private static final Comparator<Slice> ORDER = Comparator.comparing(Slice::kind)
            .thenComparing(slice -> String.join("\u0000", slice.coordinates().values()));

    public Slice {
        Objects.requireNonNull(kind, "kind");
        // LinkedHashMap keeps the documented key order when the slice is written as JSON.
        coordinates = Collections.unmodifiableMap(new LinkedHashMap<>(coordinates));
    }

    public static Slice all() {
        return ALL_VERDICTS;
    }

    public static Slice dimension(Dimension dimension) {
        return new Slice(Kind.DIMENSION, Map.of(DIMENSION, dimension.json()));
    }

    public static Slice domain(Dimension dimension, String domain) {
        Map<String, String> coordinates = new LinkedHashMap<>();
        coordinates.put(DIMENSION, dimension.json());
        coordinates.put(DOMAIN, Objects.requireNonNull(domain, "domain"));
        return new Slice(Kind.DOMAIN, coordinates);
    }

    public static Slice semanticType(SemanticType type) {
        return new Slice(Kind.SEMANTIC_TYPE, Map.of(SEMANTIC_TYPE, type.json()));
    }

    public static Slice origin(Origin origin) {
        return new Slice(Kind.ORIGIN, Map.of(ORIGIN, origin.json()));
    }

    /** The pairs labelled in exactly one dimension ({@code count} 1) or in more (2 or 3). */
    public static Slice labelledDimensions(int count) {
        if (count < 1 || count > Dimension.values().length) {
            throw new IllegalArgumentException("count: a labelled pair has 1 to 3 labelled dimensions, not " + count);
        }
        return new Slice(Kind.LABELLED_DIMENSIONS, Map.of(LABELLED_DIMENSIONS, count == 1 ? SINGLE : MULTIPLE));
    }

    /** Kind first, then the coordinate values in alphabetical order. */
    @Override
    public int compareTo(Slice other) {
        return ORDER.compare(this, other);
    }
}
