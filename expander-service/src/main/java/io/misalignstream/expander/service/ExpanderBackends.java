package io.misalignstream.expander.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.PromptGenerator;
import io.misalignstream.inference.embedded.DomainExamples;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.embedded.TemplatePromptGenerator;
import io.misalignstream.inference.guard.Guarded;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import io.misalignstream.inference.openai.OpenAiPromptGenerator;
import io.misalignstream.resilience.EndpointFaults;
import io.misalignstream.resilience.EndpointGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Creates the configured generator and the classifier that labels what it generates, each behind its guard (retries
 * with back-off, a circuit breaker); each is one setting away from an endpoint.
 */
@ApplicationScoped
public class ExpanderBackends {

    private static final Logger LOG = Logger.getLogger(ExpanderBackends.class);

    @Produces
    @Singleton
    PromptGenerator generator(ExpanderConfig config, MeterRegistry metrics, EndpointFaults faults) {
        ExpanderConfig.Generator generator = config.generator();
        PromptGenerator backend = switch (generator.backend()) {
            case EMBEDDED -> {
                LOG.info("generating with the embedded template generator");
                yield new TemplatePromptGenerator(Taxonomy.standard(), DomainExamples.shipped());
            }
            case OPENAI -> {
                EndpointSettings settings = generator.openai().settings();
                LOG.infof("generating with %s", settings);
                yield new OpenAiPromptGenerator(settings, new SamplingParameters(generator.temperature(),
                        generator.topP(), generator.maxTokens(), generator.seed().orElse(null)));
            }
        };
        return Guarded.port(PromptGenerator.class, backend, guard("generator", config, metrics, faults));
    }

    @Produces
    @Singleton
    PromptClassifier classifier(ExpanderConfig config, MeterRegistry metrics, EndpointFaults faults) {
        ExpanderConfig.Verification verification = config.verification();
        PromptClassifier backend = switch (verification.backend()) {
            case EMBEDDED -> EmbeddedPromptClassifier.standard(verification.delta());
            case OPENAI -> new OpenAiPromptClassifier(verification.openai().settings(), verification.delta());
        };
        return Guarded.port(PromptClassifier.class, backend, guard("verification-classifier", config, metrics, faults));
    }

    private static EndpointGuard guard(String role, ExpanderConfig config, MeterRegistry metrics, EndpointFaults faults) {
        return EndpointGuard.builder("expander-" + role)
                .retry(config.retry(), unavailable(metrics)::increment)
                .circuitBreaker(config.circuitBreaker())
                .metrics(metrics, "misalign.expander.backend", Tags.of("role", role))
                .requiredBy(faults)
                .build();
    }

    /** Generator or classifier calls that failed for now, each retry included. */
    static Counter unavailable(MeterRegistry metrics) {
        return Counter.builder("misalign.expander.backend.errors").tag("kind", "unavailable")
                .description("Generator or classifier calls that failed for now").register(metrics);
    }

    void closeGenerator(@Disposes PromptGenerator generator) {
        generator.close();
    }

    void closeClassifier(@Disposes PromptClassifier classifier) {
        classifier.close();
    }
}
