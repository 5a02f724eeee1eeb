package io.misalignstream.evaluator.config;

import io.misalignstream.inference.openai.OpenAiEndpointConfig;
import io.misalignstream.resilience.BackOffConfig;
import io.misalignstream.resilience.CircuitBreakerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The evaluator service's settings, {@code evaluator.*} in application.properties or {@code EVALUATOR_*} in the environment. */
@ConfigMapping(prefix = "evaluator")
public interface EvaluatorConfig {

    /** The name of the embedded baseline target. */
    String EMBEDDED_BASELINE = "embedded-baseline";

    /**
     * Target models by name, each an OpenAI-compatible endpoint, e.g. {@code evaluator.targets.llama.base-url=...};
     * the embedded baseline ({@value #EMBEDDED_BASELINE}) comes on top unless {@link #embeddedBaseline()} is off.
     */
    Map<String, OpenAiEndpointConfig> targets();

    /** Whether the in-process baseline judge is a target too. */
    @WithDefault("true")
    boolean embeddedBaseline();

    /** Times each (target, pair, polarity) is asked in a run; metrics are the mean and standard deviation over them. */
    @WithDefault("3")
    int repeats();

    /**
     * Most questions a run over a split may ask (pairs x targets x repeats x 2): a run's unanswered questions are read into
     * memory when it starts or resumes, so a larger one is refused (413) rather than risk the service.
     */
    @WithDefault("200000")
    long maxRunQuestions();

    Streaming streaming();

    /** How often metric events and Prometheus figures are refreshed while a run or the streaming mode progresses. */
    @WithDefault("10s")
    Duration publishInterval();

    Retry retry();

    /** One per target: stops calls to a target that keeps failing, for a while, so its questions back off. */
    CircuitBreakerConfig circuitBreaker();

    Cache cache();

    Agreement agreement();

    /**
     * Bounds of a ratings table sent to {@code POST /agreement}, answered 413 beyond them: the figures are computed on
     * an items x raters matrix in memory. The body itself is bounded by {@code quarkus.http.limits.max-body-size}.
     */
    interface Agreement {

        /** Most distinct raters. */
        @WithDefault("1000")
        int maxRaters();

        /** Most cells of the items x raters matrix (8 bytes each: 32 MB at the default). */
        @WithDefault("4000000")
        long maxCells();
    }

    /** Every new pair of {@code pairs.accepted} evaluated as it arrives, under the run id {@code streaming}. */
    interface Streaming {

        @WithDefault("true")
        boolean enabled();

        /** Targets that evaluate the stream (default: every target). */
        Optional<List<String>> targets();

        @WithDefault("1")
        int repeats();
    }

    /** Back-off while a target or PostgreSQL cannot answer: the verdict is asked again, the write tried again, until done. */
    interface Retry extends BackOffConfig {

        /** A write of consumed pairs or of verdicts that has neither succeeded nor failed after this long is given up and tried again. */
        @WithDefault("30s")
        Duration storeTimeout();
    }

    /** Request cache in Redis: a resumed run does not pay for an answer it already received. */
    interface Cache {

        @WithDefault("true")
        boolean enabled();

        @WithDefault("30d")
        Duration ttl();
    }
}
