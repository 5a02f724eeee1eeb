package io.misalignstream.inference.openai;

import dev.langchain4j.model.chat.request.ResponseFormat;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.inference.ChatAnswerCache;
import java.util.Objects;

/**
 * What every role on an OpenAI-compatible endpoint (classifier, prompt generator, response generator, judge) shares:
 * its {@link ChatEndpoint}, the provenance its outputs carry, and the counters and life cycle of its calls.
 */
abstract class ChatRole implements AutoCloseable {

    final EndpointSettings settings;
    final Provenance provenance;
    final ChatEndpoint endpoint;

    /**
     * @param role what the role is, for the message of a call after {@link #close()}
     * @param templateVersion the version of the role's messages and schema, part of the provenance
     * @param responseFormat the role's strict JSON schema; {@code null} for free-text answers (a target under evaluation)
     */
    ChatRole(EndpointSettings settings, String role, String templateVersion, ResponseFormat responseFormat, ChatAnswerCache cache) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.provenance = new Provenance(OpenAiPromptClassifier.BACKEND, settings.model(), templateVersion);
        this.endpoint = new ChatEndpoint(settings, role, responseFormat, Objects.requireNonNull(cache, "cache"));
    }

    /** How many callers are served at once: the requests the endpoint may have in flight. */
    public int parallelism() {
        return settings.maxConcurrency();
    }

    /** The model the endpoint serves. */
    public String model() {
        return settings.model();
    }

    /** The provenance every output of this role carries. */
    public Provenance provenance() {
        return provenance;
    }

    /** How many answers were invalid and asked again, since construction. */
    public long reasks() {
        return endpoint.usage().reasks();
    }

    /** Calls, cache hits, re-asks and tokens since construction. */
    public ChatUsage usage() {
        return endpoint.usage();
    }

    /** Refuses further calls. */
    @Override
    public void close() {
        endpoint.close();
    }
}
