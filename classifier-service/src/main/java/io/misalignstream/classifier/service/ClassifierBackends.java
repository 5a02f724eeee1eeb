package io.misalignstream.classifier.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.misalignstream.classifier.config.ClassifierConfig;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.embedded.DomainExamples;
import io.misalignstream.inference.embedded.EmbeddedCalibration;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.embedded.SafetyScreen;
import io.misalignstream.inference.embedded.SentenceEmbedder;
import io.misalignstream.inference.guard.Guarded;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import io.misalignstream.resilience.EndpointFaults;
import io.misalignstream.resilience.EndpointGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Creates the configured backend behind its guard (retries with back-off, a circuit breaker): switching from the
 * embedded model to an endpoint is {@code classifier.backend=openai}.
 */
@ApplicationScoped
public class ClassifierBackends {

    private static final Logger LOG = Logger.getLogger(ClassifierBackends.class);

    @Produces
    @Singleton
    PromptClassifier classifier(ClassifierConfig config, MeterRegistry metrics, EndpointFaults faults) {
        PromptClassifier backend = switch (config.backend()) {
            case EMBEDDED -> {
                int sessions = config.embedded().sessions() > 0 ? config.embedded().sessions() : Runtime.getRuntime().availableProcessors();
                LOG.infof("labelling with the embedded model, %d sessions, safety target recall %.2f", sessions,
                        config.embedded().safetyTargetRecall());
                yield new EmbeddedPromptClassifier(new SentenceEmbedder(sessions), Taxonomy.standard(), DomainExamples.shipped(),
                        EmbeddedCalibration.shipped(), SafetyScreen.shipped(), config.embedded().safetyTargetRecall(), config.delta());
            }
            case OPENAI -> {
                EndpointSettings settings = config.openai().settings();
                LOG.infof("labelling with %s", settings);
                OpenAiPromptClassifier endpoint = new OpenAiPromptClassifier(settings, config.delta());
                // Micrometer holds the state object weakly: the endpoint, which the guarded classifier keeps.
                FunctionCounter.builder("misalign.classifier.reasks", endpoint, OpenAiPromptClassifier::reasks)
                        .description("Answers that were invalid and asked for again with the validation error").register(metrics);
                yield endpoint;
            }
        };
        EndpointGuard guard = EndpointGuard.builder("classifier-backend")
                .retry(config.retry(), ClassificationService.unavailable(metrics)::increment)
                .circuitBreaker(config.circuitBreaker())
                .metrics(metrics, "misalign.classifier.backend", Tags.empty())
                .requiredBy(faults)
                .build();
        return Guarded.port(PromptClassifier.class, backend, guard);
    }

    void close(@Disposes PromptClassifier classifier) {
        classifier.close();
    }
}
