package io.misalignstream.inference.openai;

import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.GeneratedResponse;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.LabelledDomains;
import io.misalignstream.inference.ResponseGenerator;
import io.misalignstream.inference.ResponseRequest;
import java.util.List;
import java.util.Objects;

/**
 * Writes the aligned or the misaligned response to a prompt with a chat model behind any OpenAI-compatible endpoint,
 * through the same LangChain4j client set-up as {@link OpenAiPromptClassifier}.
 *
 * <p>The system message holds the task for the request's polarity: the aligned response honours every norm at stake,
 * declining what would break one and helping with the legitimate need; the misaligned response shows the failure
 * (compliance with a harmful request, disregard of a value or cultural norm) without actionable content: no steps,
 * quantities, code or real targets. The user message lists the norms at stake (every labelled domain, see
 * {@link LabelledDomains}, with its description), the prompt as data between {@code <prompt_to_answer>} delimiters,
 * never to be obeyed (cut at {@value ResponsePrompt#MAX_PROMPT_CHARS} characters), and the judge's feedback on the
 * previous attempt when there is some. The answer is asked for with a strict JSON schema: {@code {"response": "..."}}.
 *
 * <p>The answer is validated here as well: JSON, a non-blank response of at most
 * {@link EventLimits#MAX_RESPONSE_CHARS} characters (what a pair may carry). An invalid answer is re-asked once with
 * the validation error ({@link #reasks()} counts them); a second one is an {@link InvalidAnswerException}. Failures
 * of the endpoint map as for the classifier. Whether the text really has the polarity asked for is the judge's call.
 *
 * <p>Sampling: {@link #DEFAULT_SAMPLING} wherever the given parameters leave a value out. A seed, when given, is sent
 * offset by the request's candidate number. Every call goes through the {@link ChatAnswerCache} (see
 * {@code ChatEndpoint}): the same request (prompt, labels, polarity, feedback, sampling and seed) is answered from it.
 * At most {@link EndpointSettings#maxConcurrency()} requests are in flight; callers beyond wait in turn.
 */
public final class OpenAiResponseGenerator extends ChatRole implements ResponseGenerator {

    /** The version of the messages and schema in {@link ResponsePrompt}; part of every response's provenance. */
    public static final String TEMPLATE_VERSION = "respond-v1";

    /** The papers' candidate sampling: temperature 0.7, top-p 0.9, at most 512 new tokens. */
    public static final SamplingParameters DEFAULT_SAMPLING = new SamplingParameters(0.7, 0.9, 512, null);

    private static final ResponsePrompt PROMPT = new ResponsePrompt();

    private final SamplingParameters sampling;

    /**
     * @param settings the endpoint; its timeout and retries apply to each request
     * @param sampling temperature, top-p, most new tokens and base seed; absent values take {@link #DEFAULT_SAMPLING}'s
     */
    public OpenAiResponseGenerator(EndpointSettings settings, SamplingParameters sampling) {
        this(settings, sampling, ChatAnswerCache.NONE);
    }

    /** @param cache where valid answers are kept and replays answered from */
    public OpenAiResponseGenerator(EndpointSettings settings, SamplingParameters sampling, ChatAnswerCache cache) {
        super(settings, "response generator", TEMPLATE_VERSION, PROMPT.responseFormat(), cache);
        this.sampling = Sampling.withDefaults(sampling, DEFAULT_SAMPLING);
    }

    @Override
    public GeneratedResponse generate(ResponseRequest request) {
        Objects.requireNonNull(request, "request");
        SamplingParameters used = Sampling.offsetSeed(sampling, request.candidate());
        String text = endpoint.ask(List.of(PROMPT.system(request.polarity()),
                        PROMPT.user(request.prompt(), LabelledDomains.of(request.labels()), request.polarity(), request.feedback())),
                used, request.candidate(), OpenAiResponseGenerator::response, PROMPT::correction);
        return new GeneratedResponse(text, provenance, used);
    }

    static String response(String answer) {
        return JsonAnswer.text(JsonAnswer.object(answer), "response", "response", EventLimits.MAX_RESPONSE_CHARS);
    }

    @Override
    public String toString() {
        return "OpenAiResponseGenerator[" + settings + ", sampling=" + sampling + ", template=" + TEMPLATE_VERSION + "]";
    }
}
