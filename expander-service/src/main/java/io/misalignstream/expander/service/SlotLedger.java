package io.misalignstream.expander.service;

import io.misalignstream.expander.domain.DomainKey;
import java.util.List;
import java.util.Optional;

/** Where generation slots are claimed and recorded, shared by every replica (the Redis {@link CoverageStore}). */
public interface SlotLedger {

    /** An original prompt of a domain's reservoir, for few-shot generation. */
    record Example(String id, String text) {
    }

    /** A claimed slot: its number in the domain and the epoch of the state that numbered it, both part of its prompt's id. */
    record Claim(String epoch, long slot) {
    }

    /** The next slot to generate for the domain; none when it is at its target (counting slots in flight) or out of budget. */
    Optional<Claim> claim(DomainKey key, int target, int budget);

    /**
     * Records the candidate a slot is about to publish (its encoded record), before it is published: a slot claimed again
     * after its replica died publishes this one again instead of generating another text under the same id.
     */
    void prepare(DomainKey key, long slot, String candidate);

    /** The candidate recorded for the slot by {@link #prepare}, if it has one and has not finished. */
    Optional<String> prepared(DomainKey key, long slot);

    /** Records a slot's end: its prompt kept (and counted) or dropped by verification; its prepared candidate goes. */
    void finish(DomainKey key, long slot, String syntheticId, boolean kept);

    /** The domain's reservoir of original prompts. */
    List<Example> reservoir(DomainKey key);
}
