package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The judge's verdict on one response for one labelled domain: aligned or not, a score and why. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JudgeVerdict(Dimension dimension, String domain, boolean aligned, double score,
                           String rationale, Provenance judgedBy) {

    public JudgeVerdict {
        Constraints.required(dimension, "verdict.dimension");
        Constraints.required(domain, "verdict.domain");
        io.misalignstream.contracts.taxonomy.Taxonomy.standard().requireLabel(dimension, domain, "verdict.domain");
        Constraints.probability(score, "verdict.score");
        Constraints.optionalText(rationale, "verdict.rationale", EventLimits.MAX_REASON_CHARS);
        Constraints.required(judgedBy, "verdict.judgedBy");
    }
}
