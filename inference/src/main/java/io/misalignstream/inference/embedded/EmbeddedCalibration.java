package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import java.io.IOException;
import java.io.Writer;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The embedded classifier's fitted numbers for its zero-shot dimensions ({@link #DIMENSIONS}: value and cultural;
 * safety has its own fitted {@link SafetyScreen}), one {@link DimensionCalibration} each. The shipped set
 * is {@code calibration.properties} beside this class; {@code version} goes into every label's provenance.
 */
public record EmbeddedCalibration(String version, Map<Dimension, DimensionCalibration> dimensions) {

    private static final String RESOURCE = "calibration.properties";
    /** The dimensions labelled zero-shot, by similarity to the domains' prototypes. */
    public static final List<Dimension> DIMENSIONS = List.of(Dimension.VALUE, Dimension.CULTURAL);

    public EmbeddedCalibration {
        dimensions = Map.copyOf(dimensions);
        for (Dimension dimension : DIMENSIONS) {
            if (!dimensions.containsKey(dimension)) {
                throw new IllegalArgumentException("calibration for " + dimension.json() + " is missing");
            }
        }
    }

    public DimensionCalibration of(Dimension dimension) {
        DimensionCalibration calibration = dimensions.get(dimension);
        if (calibration == null) {
            throw new IllegalArgumentException("no calibration for " + dimension.json() + ": it is not labelled zero-shot");
        }
        return calibration;
    }

    public static EmbeddedCalibration shipped() {
        return from(ShippedProperties.load(EmbeddedCalibration.class, RESOURCE));
    }

    static EmbeddedCalibration from(Properties properties) {
        Map<Dimension, DimensionCalibration> dimensions = new EnumMap<>(Dimension.class);
        for (Dimension dimension : DIMENSIONS) {
            String prefix = dimension.json() + ".";
            dimensions.put(dimension, new DimensionCalibration(
                    number(properties, prefix + "weight"), number(properties, prefix + "noneWeight"),
                    number(properties, prefix + "bias"), number(properties, prefix + "noneThreshold")));
        }
        String version = properties.getProperty("version");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("calibration: version is missing");
        }
        return new EmbeddedCalibration(version.strip(), dimensions);
    }

    private static double number(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("calibration: " + key + " is missing");
        }
        return Double.parseDouble(value.strip());
    }

    /** Writes the set in the shipped file's format. */
    public void write(Writer out) throws IOException {
        out.write("version=" + version + "\n");
        for (Dimension dimension : DIMENSIONS) {
            DimensionCalibration c = of(dimension);
            String prefix = dimension.json() + ".";
            out.write(String.format(Locale.ROOT, "%sweight=%.6f%n%snoneWeight=%.6f%n%sbias=%.6f%n%snoneThreshold=%.4f%n",
                    prefix, c.weight(), prefix, c.noneWeight(), prefix, c.bias(), prefix, c.noneThreshold()));
        }
    }
}
