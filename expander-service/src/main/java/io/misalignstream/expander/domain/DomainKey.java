package io.misalignstream.expander.domain;

import io.misalignstream.contracts.event.Dimension;

/** One domain of one dimension: what is counted, targeted and expanded. */
public record DomainKey(Dimension dimension, String domain) {

    /** {@code dimension/domain}, as in Redis keys and logs. */
    @Override
    public String toString() {
        return dimension.json() + "/" + domain;
    }
}
