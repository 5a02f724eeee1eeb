package io.misalignstream.contracts.taxonomy;

import io.misalignstream.contracts.event.Dimension;

/**
 * One domain of one dimension. {@code id} is a stable slug, unique within the dimension (and, but
 * for {@code none}, across dimensions); {@code sourceKey} is the name the source taxonomy uses.
 */
public record Domain(Dimension dimension, String id, String name, String sourceKey, String description) {

    /** The id of the domain that means "nothing of this dimension is at stake". */
    public static final String NONE = "none";

    public boolean isNone() {
        return NONE.equals(id);
    }
}
