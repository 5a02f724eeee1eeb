package io.misalignstream.expander.service;

import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.expander.config.ExpanderConfig;
import io.misalignstream.inference.PromptClassifier;
import io.misalignstream.inference.PromptGenerator;
import io.misalignstream.inference.embedded.DomainExamples;
import io.misalignstream.inference.embedded.EmbeddedPromptClassifier;
import io.misalignstream.inference.embedded.TemplatePromptGenerator;
import io.misalignstream.inference.openai.EndpointSettings;
import io.misalignstream.inference.openai.OpenAiPromptClassifier;
import io.misalignstream.inference.openai.OpenAiPromptGenerator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Creates the configured generator and the classifier that labels what it generates; each is one setting away from an endpoint. */
@ApplicationScoped
public class Backends {

    private static final Logger LOG = Logger.getLogger(Backends.class);

    @Produces
    @Singleton
    PromptGenerator generator(ExpanderConfig config) {
        ExpanderConfig.Generator generator = config.generator();
        return switch (generator.backend()) {
            case EMBEDDED -> {
                LOG.info("generating with the embedded template generator");
                yield new TemplatePromptGenerator(Taxonomy.standard(), DomainExamples.shipped());
            }
            case OPENAI -> {
                EndpointSettings settings = settings(generator.openai());
                LOG.infof("generating with %s", settings);
                yield new OpenAiPromptGenerator(settings, new SamplingParameters(generator.temperature(), generator.topP(),
                        generator.maxTokens(), generator.seed().orElse(null)));
            }
        };
    }

    @Produces
    @Singleton
    PromptClassifier classifier(ExpanderConfig config) {
        ExpanderConfig.Verification verification = config.verification();
        return switch (verification.backend()) {
            case EMBEDDED -> EmbeddedPromptClassifier.standard(verification.delta());
            case OPENAI -> new OpenAiPromptClassifier(settings(verification.openai()), verification.delta());
        };
    }

    // The clients do not retry: the service's guard does, with back-off and a circuit breaker.
    private static EndpointSettings settings(ExpanderConfig.Endpoint endpoint) {
        return new EndpointSettings(endpoint.baseUrl(), endpoint.model(), endpoint.apiKey(), endpoint.timeout(), endpoint.maxConcurrency(), 0);
    }

    void closeGenerator(@Disposes PromptGenerator generator) {
        generator.close();
    }

    void closeClassifier(@Disposes PromptClassifier classifier) {
        classifier.close();
    }
}
