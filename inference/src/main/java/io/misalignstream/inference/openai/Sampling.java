package io.misalignstream.inference.openai;

import io.misalignstream.contracts.event.SamplingParameters;
import java.util.Objects;

/** How a generating role completes its configured sampling and varies it per slot or candidate. */
final class Sampling {

    private Sampling() {
    }

    /** {@code given}, with {@code defaults}' temperature, top-p and most new tokens wherever it leaves them out. */
    static SamplingParameters withDefaults(SamplingParameters given, SamplingParameters defaults) {
        Objects.requireNonNull(given, "sampling");
        return new SamplingParameters(
                Objects.requireNonNullElse(given.temperature(), defaults.temperature()),
                Objects.requireNonNullElse(given.topP(), defaults.topP()),
                Objects.requireNonNullElse(given.maxTokens(), defaults.maxTokens()),
                given.seed());
    }

    /**
     * The sampling with its seed (when set) offset, so that each slot or candidate samples differently yet reproducibly
     * on servers that honour seeds. LangChain4j sends seeds as an int: the low 31 bits of the sum keep it non-negative,
     * which every server accepts, and the same for the same offset.
     */
    static SamplingParameters offsetSeed(SamplingParameters sampling, long offset) {
        if (sampling.seed() == null) {
            return sampling;
        }
        long seed = (sampling.seed() + offset) & Integer.MAX_VALUE;
        return new SamplingParameters(sampling.temperature(), sampling.topP(), sampling.maxTokens(), seed);
    }
}
