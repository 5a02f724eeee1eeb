package io.misalignstream.inference.openai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

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
public final class OpenAiPromptGenerator implements PromptGenerator {

    /** The version of the messages and schema in {@link GenerationPrompt}; part of every prompt's provenance. */
    public static final String TEMPLATE_VERSION = "expand-v1";

    /** Warm and wide, since expansion wants prompts unlike each other; 256 tokens hold 80 words with room to spare. */
    public static final SamplingParameters DEFAULT_SAMPLING = new SamplingParameters(0.9, 0.95, 256, null);

    private final EndpointSettings settings;
    private final SamplingParameters sampling;
    private final GenerationPrompt prompt = new GenerationPrompt();
    private final Provenance provenance;
    private final ChatEndpoint endpoint;
    private final AtomicLong reasks = new AtomicLong();

    /**
     * @param settings the endpoint; its timeout and retries apply to each request
     * @param sampling temperature, top-p, most new tokens and base seed; absent values take {@link #DEFAULT_SAMPLING}'s
     */
    public OpenAiPromptGenerator(EndpointSettings settings, SamplingParameters sampling) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(sampling, "sampling");
        this.sampling = new SamplingParameters(
                Objects.requireNonNullElse(sampling.temperature(), DEFAULT_SAMPLING.temperature()),
                Objects.requireNonNullElse(sampling.topP(), DEFAULT_SAMPLING.topP()),
                Objects.requireNonNullElse(sampling.maxTokens(), DEFAULT_SAMPLING.maxTokens()),
                sampling.seed());
        this.provenance = new Provenance(OpenAiPromptClassifier.BACKEND, settings.model(), TEMPLATE_VERSION);
        this.endpoint = new ChatEndpoint(settings, "generator", ChatRequestParameters.builder()
                .temperature(this.sampling.temperature())
                .topP(this.sampling.topP())
                .maxOutputTokens(this.sampling.maxTokens())
                .responseFormat(prompt.responseFormat())
                .build());
    }

    @Override
    public GeneratedPrompt generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        SamplingParameters used = samplingFor(request.slot());
        ChatRequestParameters parameters = OpenAiChatRequestParameters.builder()
                .seed(used.seed() == null ? null : used.seed().intValue())
                .build();
        GeneratedPromptParser answers = new GeneratedPromptParser(request.examples());
        List<ChatMessage> conversation = new ArrayList<>(List.of(prompt.system(), prompt.user(request.domain(), request.examples())));
        String answer = endpoint.chat(conversation, parameters);
        String text;
        try {
            text = answers.text(answer);
        } catch (InvalidAnswerException invalid) {
            reasks.incrementAndGet();
            conversation.add(AiMessage.from(answer));
            conversation.add(prompt.correction(invalid.getMessage()));
            text = answers.text(endpoint.chat(conversation, parameters));
        }
        return new GeneratedPrompt(text, provenance, used, false);
    }

    @Override
    public int parallelism() {
        return settings.maxConcurrency();
    }

    /** How many answers were invalid and asked again, since construction. */
    public long reasks() {
        return reasks.get();
    }

    /** The provenance every prompt of this generator carries. */
    public Provenance provenance() {
        return provenance;
    }

    /** Refuses further calls. */
    @Override
    public void close() {
        endpoint.close();
    }

    @Override
    public String toString() {
        return "OpenAiPromptGenerator[" + settings + ", sampling=" + sampling + ", template=" + TEMPLATE_VERSION + "]";
    }

    /**
     * The configured sampling, its seed (when set) offset by the slot. LangChain4j sends seeds as an int: the low 31 bits
     * of the sum keep it non-negative, which every server accepts, and the same for the same slot.
     */
    private SamplingParameters samplingFor(long slot) {
        if (sampling.seed() == null) {
            return sampling;
        }
        long seed = (sampling.seed() + slot) & Integer.MAX_VALUE;
        return new SamplingParameters(sampling.temperature(), sampling.topP(), sampling.maxTokens(), seed);
    }
}
