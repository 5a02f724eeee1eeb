package io.misalignstream.expander.service;

import io.misalignstream.expander.domain.DomainKey;
import java.util.List;

/** Where generation slots are claimed and recorded, shared by every replica (the Redis {@link CoverageStore}). */
public interface SlotLedger {

    /** An original prompt of a domain's reservoir, for few-shot generation. */
    record Example(String id, String text) {
    }

    /** The next slot to generate for the domain, or -1 when it is at its target (counting slots in flight) or out of budget. */
    long claim(DomainKey key, int target, int budget);

    /** Records a slot's end: its prompt kept (and counted) or dropped by verification. */
    void finish(DomainKey key, long slot, String syntheticId, boolean kept);

    /** The domain's reservoir of original prompts. */
    List<Example> reservoir(DomainKey key);
}
