package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/**
 * Value of {@code metrics.events}, keyed by run id: one metric of one target model over one slice
 * (e.g. {@code {"dimension":"value","domain":"health"}}; empty for the whole split), with the number
 * of verdicts behind it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricEvent(int schemaVersion, String runId, String target, String metric, double value,
                          Map<String, String> slice, long support, Instant emittedAt) {

    public MetricEvent {
        Constraints.schemaVersion(schemaVersion);
        Constraints.id(runId, "runId");
        Constraints.text(target, "target", EventLimits.MAX_NAME_CHARS);
        Constraints.text(metric, "metric", EventLimits.MAX_NAME_CHARS);
        if (Double.isInfinite(value)) {
            throw new InvalidEventException("value: must be finite or NaN (undefined)");
        }
        if (slice == null) {
            slice = Map.of();
        } else {
            slice.forEach((key, entry) -> {
                if (key == null || entry == null) {
                    throw new InvalidEventException("slice." + key + ": must not be null");
                }
            });
            slice = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(slice));
        }
        if (support < 0) {
            throw new InvalidEventException("support: must not be negative");
        }
        Constraints.required(emittedAt, "emittedAt");
    }
}
