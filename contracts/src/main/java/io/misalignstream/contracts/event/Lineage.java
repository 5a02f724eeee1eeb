package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Where a prompt comes from. An original has a source row; a synthetic prompt has the ids of the
 * prompts it was derived from (none when made from a domain description alone) and its generation.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Lineage(Source source, Origin origin, List<String> parentIds, Generation generation) {

    public Lineage {
        Constraints.required(source, "lineage.source");
        Constraints.required(origin, "lineage.origin");
        parentIds = Constraints.list(parentIds, "lineage.parentIds", EventLimits.MAX_PARENT_IDS);
        for (int i = 0; i < parentIds.size(); i++) {
            Constraints.id(parentIds.get(i), "lineage.parentIds[" + i + "]");
        }
        if (origin == Origin.SYNTHETIC && generation == null) {
            throw new InvalidEventException("lineage.generation: is required for a synthetic prompt");
        }
        if (origin == Origin.ORIGINAL && generation != null) {
            throw new InvalidEventException("lineage.generation: an original prompt has no generation");
        }
    }

    public static Lineage original(Source source) {
        return new Lineage(source, Origin.ORIGINAL, List.of(), null);
    }

    public static Lineage synthetic(Source source, List<String> parentIds, Generation generation) {
        return new Lineage(source, Origin.SYNTHETIC, parentIds, generation);
    }
}
