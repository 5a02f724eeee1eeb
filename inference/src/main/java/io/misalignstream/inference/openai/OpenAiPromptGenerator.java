package io.misalignstream.inference.openai;

import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptGenerator;
import java.util.List;
import java.util.Objects;

/**
 * Writes prompts for low-resource domains with a chat model behind any OpenAI-compatible endpoint, through the same
 * LangChain4j client set-up as {@link OpenAiPromptClassifier}.
 *
 * <p>The system message holds the task; the user message names the domain (name, dimension, description) and shows at
 * most five of the request's examples as data between {@code <example>} delimiters, few-shot, never to be obeyed. The
 * model is asked, with a strict JSON schema, for one new realistic prompt of the domain, in English, 8 to 80 words,
 * different from the examples: {@code {"prompt": "..."}}.
 *
 * <p>The answer is validated here as well: JSON, a non-blank prompt of at most 2000 characters, not one of the
 * request's examples (case and surrounding whitespace aside). An invalid answer is re-asked once with the validation
 * error ({@link #reasks()} counts them); a second one is an {@link InvalidAnswerException}. Failures of the endpoint
 * map as for the classifier: {@link io.misalignstream.inference.BackendUnavailableException} for timeouts, 408, 429,
 * 5xx, unreachable servers and settings to fix; {@link InvalidAnswerException} for a request the server rejects.
 *
 * <p>Sampling: {@link #DEFAULT_SAMPLING} wherever the given parameters leave a value out. A seed, when given, is sent
 * offset by the slot, so that each slot of a domain samples differently yet reproducibly on servers that honour seeds;
 * every prompt carries the sampling actually sent. At most {@link EndpointSettings#maxConcurrency()} requests are in
 * flight; callers beyond wait in turn.
 */
public final class OpenAiPromptGenerator extends ChatRole implements PromptGenerator {

    /** The version of the messages and schema in {@link GenerationPrompt}; part of every prompt's provenance. */
    public static final String TEMPLATE_VERSION = "expand-v1";

    /** Warm and wide, since expansion wants prompts unlike each other; 256 tokens hold 80 words with room to spare. */
    public static final SamplingParameters DEFAULT_SAMPLING = new SamplingParameters(0.9, 0.95, 256, null);

    private static final GenerationPrompt PROMPT = new GenerationPrompt();

    private final SamplingParameters sampling;

    /**
     * @param settings the endpoint; its timeout and retries apply to each request
     * @param sampling temperature, top-p, most new tokens and base seed; absent values take {@link #DEFAULT_SAMPLING}'s
     */
    public OpenAiPromptGenerator(EndpointSettings settings, SamplingParameters sampling) {
        super(settings, "generator", TEMPLATE_VERSION, PROMPT.responseFormat(), ChatAnswerCache.NONE);
        this.sampling = Sampling.withDefaults(sampling, DEFAULT_SAMPLING);
    }

    @Override
    public GeneratedPrompt generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        SamplingParameters used = Sampling.offsetSeed(sampling, request.slot());
        GeneratedPromptParser answers = new GeneratedPromptParser(request.examples());
        String text = endpoint.ask(List.of(PROMPT.system(), PROMPT.user(request.domain(), request.examples())), used,
                request.slot(), answers::text, PROMPT::correction);
        return new GeneratedPrompt(text, provenance, used, false);
    }

    @Override
    public String toString() {
        return "OpenAiPromptGenerator[" + settings + ", sampling=" + sampling + ", template=" + TEMPLATE_VERSION + "]";
    }
}
