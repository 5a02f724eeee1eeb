package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The embedded classifier's fitted numbers, one {@link DimensionCalibration} per dimension. The shipped set
 * is {@code calibration.properties} beside this class; {@code version} goes into every label's provenance.
 */
public record EmbeddedCalibration(String version, Map<Dimension, DimensionCalibration> dimensions) {

    private static final String RESOURCE = "calibration.properties";

    public EmbeddedCalibration {
        dimensions = Map.copyOf(dimensions);
        for (Dimension dimension : Dimension.values()) {
            if (!dimensions.containsKey(dimension)) {
                throw new IllegalArgumentException("calibration for " + dimension.json() + " is missing");
            }
        }
    }

    public DimensionCalibration of(Dimension dimension) {
        return dimensions.get(dimension);
    }

    public static EmbeddedCalibration shipped() {
        try (InputStream in = EmbeddedCalibration.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the inference module");
            }
            Properties properties = new Properties();
            properties.load(in);
            return from(properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EmbeddedCalibration from(Properties properties) {
        Map<Dimension, DimensionCalibration> dimensions = new EnumMap<>(Dimension.class);
        for (Dimension dimension : Dimension.values()) {
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
        for (Dimension dimension : Dimension.values()) {
            DimensionCalibration c = of(dimension);
            String prefix = dimension.json() + ".";
            out.write(String.format(Locale.ROOT, "%sweight=%.6f%n%snoneWeight=%.6f%n%sbias=%.6f%n%snoneThreshold=%.4f%n",
                    prefix, c.weight(), prefix, c.noneWeight(), prefix, c.bias(), prefix, c.noneThreshold()));
        }
    }
}
