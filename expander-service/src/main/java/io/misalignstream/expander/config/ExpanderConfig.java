package io.misalignstream.expander.config;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.inference.openai.OpenAiEndpointConfig;
import io.misalignstream.resilience.CircuitBreakerConfig;
import io.misalignstream.resilience.RetryConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The expander service's settings, {@code expander.*} in application.properties or {@code EXPANDER_*} in the environment. */
@ConfigMapping(prefix = "expander")
public interface ExpanderConfig {

    /** The dimensions whose domains are expanded. */
    @WithDefault("safety,value,cultural")
    Set<Dimension> dimensions();

    Targets targets();

    Budget budget();

    /** Example prompts kept per domain for few-shot generation (a uniform sample of what the domain has seen). */
    @WithDefault("20")
    int reservoirSize();

    /** How often every domain's deficit is checked, so that a domain with no traffic still reaches its target. */
    @WithDefault("30s")
    Duration sweepInterval();

    /** Wait before the first sweep after start-up, so that the backlog is counted before domains look empty. */
    @WithDefault("5s")
    Duration sweepDelay();

    /** A slot claimed this long ago and never finished (its replica died) is generated again. */
    @WithDefault("5m")
    Duration slotTimeout();

    /** Name of the expansion state in Redis keys; deployments sharing a Redis keep theirs apart with it. */
    @WithDefault("expansion")
    String stateName();

    Generator generator();

    Verification verification();

    /** Retries of a generator or classifier call while it is unavailable; then the slot waits, backing off, and asks again. Originals keep flowing. */
    RetryConfig retry();

    /** One per backend (the generator, the verifying classifier). */
    CircuitBreakerConfig circuitBreaker();

    /** How many prompts a domain should have; the most specific setting wins. */
    interface Targets {

        /** Target of every domain not set otherwise. */
        @WithDefault("25")
        int all();

        /** Per dimension: {@code expander.targets.dimension.value=40}. */
        Map<Dimension, Integer> dimension();

        /** Per domain id: {@code expander.targets.domain.health=100}. */
        Map<String, Integer> domain();
    }

    /** What expansion may spend. */
    interface Budget {

        /** Synthetic prompts generated for one domain at most, dropped ones included. */
        @WithDefault("200")
        int perDomain();

        /** Generations running at once in one replica. */
        @WithDefault("16")
        int inFlight();

        /** Generations started per minute at most in one replica. */
        @WithDefault("600")
        int perMinute();
    }

    interface Generator {

        /** {@code embedded} (template generator, no model) or {@code openai} (any OpenAI-compatible endpoint). */
        @WithDefault("embedded")
        Backend backend();

        Endpoint openai();

        @WithDefault("0.9")
        double temperature();

        @WithDefault("0.95")
        double topP();

        @WithDefault("256")
        int maxTokens();

        /** Sent to servers that honour seeds, offset by the slot number, so every slot is reproducible. */
        Optional<Long> seed();
    }

    /**
     * The classifier that labels every synthetic prompt in all three dimensions; with {@code enabled}, one whose
     * label disagrees with its target domain is dropped.
     */
    interface Verification {

        @WithDefault("true")
        boolean enabled();

        /** The classifier backend that labels. */
        @WithDefault("embedded")
        Backend backend();

        Endpoint openai();

        /** Delta for the relabelling: a target domain among the further domains at this probability also agrees. */
        @WithDefault("0.5")
        double delta();
    }

    enum Backend {
        EMBEDDED, OPENAI
    }

    /** An OpenAI-compatible endpoint of one role, {@code expander.generator.openai.*} or {@code expander.verification.openai.*}. */
    interface Endpoint extends OpenAiEndpointConfig {

        @Override
        @WithDefault("http://localhost:11434/v1")
        URI baseUrl();

        @Override
        @WithDefault("llama3.1:8b-instruct-q4_K_M")
        String model();

        @Override
        @WithDefault("16")
        int maxConcurrency();
    }

    /** The target of one domain. */
    default int target(Dimension dimension, String domain) {
        Integer perDomain = targets().domain().get(domain);
        if (perDomain != null) {
            return perDomain;
        }
        return targets().dimension().getOrDefault(dimension, targets().all());
    }
}
