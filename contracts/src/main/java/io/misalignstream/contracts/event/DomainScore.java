package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A domain id of one dimension and the classifier's probability for it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DomainScore(String domain, double probability) {

    public DomainScore {
        Constraints.required(domain, "domain");
        Constraints.probability(probability, "probability");
    }
}
