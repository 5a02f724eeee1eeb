package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.misalignstream.contracts.taxonomy.Taxonomy;

/** How a synthetic prompt was made: by which generator, for which domain, with which sampling settings. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Generation(Provenance provenance, Dimension targetDimension, String targetDomain, SamplingParameters sampling) {

    public Generation {
        Constraints.required(provenance, "generation.provenance");
        Constraints.required(targetDimension, "generation.targetDimension");
        Constraints.required(targetDomain, "generation.targetDomain");
        Taxonomy.standard().requireLabel(targetDimension, targetDomain, "generation.targetDomain");
    }
}
