package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The sampling settings a text was generated with; absent values were the backend's defaults. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SamplingParameters(Double temperature, Double topP, Integer maxTokens, Long seed) {

    public SamplingParameters {
        if (temperature != null && !(temperature >= 0.0 && temperature <= 2.0)) {
            throw new InvalidEventException("sampling.temperature: " + temperature + " is outside [0, 2]");
        }
        if (topP != null) {
            Constraints.probability(topP, "sampling.topP");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidEventException("sampling.maxTokens: must be at least 1");
        }
    }
}
