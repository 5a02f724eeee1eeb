package io.misalignstream.dedup.config;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.resilience.BackOffConfig;
import io.misalignstream.simhash.ScopeKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The dedup service's settings, {@code dedup.*} in application.properties or {@code DEDUP_*} in the environment. */
@ConfigMapping(prefix = "dedup")
public interface DedupConfig {

    /**
     * Hamming radius k, 0 to 16, for texts of 60 normalised characters or more: an accepted prompt within k bits
     * is proposed as a near-duplicate (shorter texts get k + 2 to k + 6 bits, at most 16). From fingerprint version 2
     * on a proposal is a duplicate only when {@link #minSimilarity()} holds too (docs/benchmarks.md).
     */
    @WithDefault("10")
    int threshold();

    /**
     * The least estimated Jaccard similarity of the two texts' character 5-gram sets for a proposed match to be a
     * near-duplicate (fingerprint version 2). 0.5: no distinct prompt merged in more than 0.1% of any real corpus of
     * ../shared/data, light edits kept (docs/benchmarks.md).
     */
    @WithDefault("0.5")
    double minSimilarity();

    /**
     * Fingerprint features, {@code char<N>} or {@code word<N>} (the current version, 2: verified), or a whole version
     * such as {@code simhash1-char3} to keep deciding on an index made before; changing them starts a new fingerprint
     * version, which {@code misalign dedup rebuild} migrates to.
     */
    @WithDefault("char3")
    String features();

    /** Threads that search a batch in the local index copy; 0 means one per core. */
    @WithDefault("0")
    int lookupThreads();

    Scope scope();

    Index index();

    /** Back-off while Redis or the index is unavailable: the consumer waits, nothing is accepted unchecked. */
    BackOffConfig retry();

    /** Which prompts are compared with each other. */
    interface Scope {

        /** {@code global}: every prompt with every other; {@code domain}: only prompts of the same primary domain. */
        @WithDefault("global")
        ScopeKind kind();

        /** With {@code domain}: the dimension whose primary domain separates the indexes. */
        @WithDefault("safety")
        Dimension dimension();
    }

    /** The shared index in Redis. */
    interface Index {

        /** Name of the index in Redis keys; deployments sharing a Redis keep theirs apart with it. */
        @WithDefault("prompts")
        String name();

        /** Hashes the decided ids are spread over: about expected prompts / 64 keeps each compact. Power of two. */
        @WithDefault("16384")
        int buckets();

        /** Longest wait for one Redis call before the batch is retried. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Start an empty index when Redis has none and nothing was ever accepted (prompts.unique is empty);
         * otherwise the service waits for {@code misalign dedup rebuild}.
         */
        @WithDefault("true")
        boolean autoInitialize();
    }
}
