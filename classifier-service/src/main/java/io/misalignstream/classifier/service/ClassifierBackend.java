package io.misalignstream.classifier.service;

import io.misalignstream.classifier.config.ClassifierConfig;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.embedded.DomainExamples;
import io.misalignstream.inference.embedded.EmbeddedCalibration;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.embedded.SentenceEmbedder;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Creates the configured backend: switching from the embedded model to an endpoint is {@code classifier.backend=openai}. */
@ApplicationScoped
public class ClassifierBackend {

    private static final Logger LOG = Logger.getLogger(ClassifierBackend.class);

    @Produces
    @Singleton
    PromptClassifier classifier(ClassifierConfig config) {
        return switch (config.backend()) {
            case EMBEDDED -> {
                int sessions = config.embedded().sessions() > 0 ? config.embedded().sessions() : Runtime.getRuntime().availableProcessors();
                LOG.infof("labelling with the embedded model, %d sessions", sessions);
                yield new EmbeddedPromptClassifier(new SentenceEmbedder(sessions), Taxonomy.standard(), DomainExamples.shipped(), EmbeddedCalibration.shipped(),
                        config.delta());
            }
            case OPENAI -> {
                ClassifierConfig.Openai endpoint = config.openai();
                // The client does not retry: the service's guard does, with back-off and a circuit breaker.
                EndpointSettings settings = new EndpointSettings(endpoint.baseUrl(), endpoint.model(), endpoint.apiKey(),
                        endpoint.timeout(), endpoint.maxConcurrency(), 0);
                LOG.infof("labelling with %s", settings);
                yield new OpenAiPromptClassifier(settings, config.delta());
            }
        };
    }

    void close(@Disposes PromptClassifier classifier) {
        classifier.close();
    }
}
