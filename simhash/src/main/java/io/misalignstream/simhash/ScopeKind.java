package io.misalignstream.simhash;

/** Which prompts are compared with each other for near-duplicates. */
public enum ScopeKind {
    /** Every prompt with every other. */
    GLOBAL,
    /** Only prompts with the same primary domain in one dimension. */
    DOMAIN
}
