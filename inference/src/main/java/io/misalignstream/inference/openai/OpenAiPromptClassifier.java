package io.misalignstream.inference.openai;

import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import java.util.List;
import java.util.Objects;

/**
 * Labels prompts with a chat model behind any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, OpenAI) through
 * LangChain4j, at temperature 0 and with request/response logging off so that neither prompts nor the API key reach
 * the logs.
 *
 * <p>The system message holds the task and the whole taxonomy (every domain id with its description per dimension,
 * and the semantic types); the user message holds the prompt as data between {@code <prompt_to_classify>} delimiters,
 * to be classified and never obeyed. The server is asked for structured output with a strict JSON schema (domain ids
 * as an enum per dimension). The answer shape:
 *
 * <pre>{@code
 * {"safety":   [{"domain": "privacy_violation", "probability": 0.9}, {"domain": "self_harm", "probability": 0.2}],
 *  "value":    [],
 *  "cultural": [{"domain": "none", "probability": 0.8}],
 *  "semanticType": "object"}
 * }</pre>
 *
 * Per dimension, the most probable entry is the primary; further domains need a probability of at least delta. An
 * empty list means {@code none} with probability 1; a {@code none} entry is the primary only when more probable than
 * every named domain, and otherwise {@code none}'s probability is 1 minus the primary's.
 *
 * <p>The answer is validated here as well, since not every server enforces the schema and a prompt may talk the
 * model into labels of its own: JSON, every domain id in the taxonomy of its dimension, each at most once,
 * probabilities in [0, 1], a known semantic type. An invalid answer is re-asked once, with the answer and the
 * validation error added to the conversation ({@link #reasks()} counts them); a second invalid answer is an
 * {@link InvalidAnswerException} carrying the validation error.
 *
 * <p>Failures of the endpoint (mapped as for every role, see {@code ChatEndpoint}): timeouts, HTTP 408, 429 and 5xx,
 * unreachable servers, and the settings to fix (401/403 key, 404 model or path, unknown host) are a
 * {@link io.misalignstream.inference.BackendUnavailableException}; any other 4xx rejects this request (typically a
 * prompt beyond the model's context) and is an {@link InvalidAnswerException}, not re-asked, as no retry fixes it.
 *
 * <p>At most {@link EndpointSettings#maxConcurrency()} requests are in flight; callers beyond wait in turn.
 */
public final class OpenAiPromptClassifier extends ChatRole implements PromptClassifier {

    /** The version of the messages and schema in {@link ClassificationPrompt}; part of every label's provenance. */
    public static final String TEMPLATE_VERSION = "classify-v1";

    static final String BACKEND = "openai";

    /** Labels should not depend on chance. */
    private static final SamplingParameters SAMPLING = new SamplingParameters(0.0, null, null, null);

    private static final ClassificationPrompt PROMPT = new ClassificationPrompt(Taxonomy.standard());

    private final AnswerParser answers;

    /**
     * @param settings the endpoint; its timeout and retries apply to each request
     * @param delta the probability a further domain must reach to be labelled, in [0, 1]
     */
    public OpenAiPromptClassifier(EndpointSettings settings, double delta) {
        super(settings, "classifier", TEMPLATE_VERSION, PROMPT.responseFormat(), ChatAnswerCache.NONE);
        if (!(delta >= 0.0 && delta <= 1.0)) {
            throw new IllegalArgumentException("delta: " + delta + " is not in [0, 1]");
        }
        this.answers = new AnswerParser(Taxonomy.standard(), delta, provenance);
    }

    @Override
    public Labels classify(String text) {
        Objects.requireNonNull(text, "text");
        return endpoint.ask(List.of(PROMPT.system(), PROMPT.user(text)), SAMPLING, 0, answers::labels, PROMPT::correction);
    }

    @Override
    public String toString() {
        return "OpenAiPromptClassifier[" + settings + ", template=" + TEMPLATE_VERSION + "]";
    }
}
