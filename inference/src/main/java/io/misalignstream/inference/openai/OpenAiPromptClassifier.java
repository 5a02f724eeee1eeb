package io.misalignstream.inference.openai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.InvalidAnswerException;
import io.misalignstream.inference.PromptClassifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>Failures of the endpoint:
 * <ul>
 *   <li>timeout, HTTP 408, 429 and 5xx, connection refused or reset: {@link BackendUnavailableException};</li>
 *   <li>HTTP 401/403 (key), 404 (model or path) and an unknown host: {@link BackendUnavailableException} naming the
 *       setting to fix, as retrying once the configuration is fixed is what the pipeline should do; the 401/403 body
 *       is left out, as servers may quote part of the key there;</li>
 *   <li>other 4xx (400, 413, 422): {@link InvalidAnswerException}, not re-asked, since the server rejects this
 *       request (typically a prompt beyond the model's context), which no retry fixes; a server without structured
 *       output support shows as every prompt failing so.</li>
 * </ul>
 *
 * <p>At most {@link EndpointSettings#maxConcurrency()} requests are in flight; callers beyond wait in turn.
 */
public final class OpenAiPromptClassifier implements PromptClassifier {

    /** The version of the messages and schema in {@link ClassificationPrompt}; part of every label's provenance. */
    public static final String TEMPLATE_VERSION = "classify-v1";

    static final String BACKEND = "openai";
    private static final int MAX_REJECTION_CHARS = 200;

    private final EndpointSettings settings;
    private final ClassificationPrompt prompt;
    private final AnswerParser answers;
    private final Provenance provenance;
    private final ChatModel model;
    private final Semaphore inFlight;
    private final AtomicLong reasks = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param settings the endpoint; its timeout and retries apply to each request
     * @param delta the probability a further domain must reach to be labelled, in [0, 1]
     */
    public OpenAiPromptClassifier(EndpointSettings settings, double delta) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (!(delta >= 0.0 && delta <= 1.0)) {
            throw new IllegalArgumentException("delta: " + delta + " is not in [0, 1]");
        }
        Taxonomy taxonomy = Taxonomy.standard();
        this.prompt = new ClassificationPrompt(taxonomy);
        this.provenance = new Provenance(BACKEND, settings.model(), TEMPLATE_VERSION);
        this.answers = new AnswerParser(taxonomy, delta, provenance);
        this.inFlight = new Semaphore(settings.maxConcurrency(), true);
        this.model = OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl().toString())
                .apiKey(settings.apiKey().orElse(null))
                .modelName(settings.model())
                .temperature(0.0)
                .responseFormat(prompt.responseFormat())
                .strictJsonSchema(true)
                .timeout(settings.timeout())
                .maxRetries(settings.maxRetries())
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    @Override
    public Labels classify(String text) {
        Objects.requireNonNull(text, "text");
        List<ChatMessage> conversation = new ArrayList<>(List.of(prompt.system(), prompt.user(text)));
        String answer = chat(conversation);
        try {
            return answers.labels(answer);
        } catch (InvalidAnswerException invalid) {
            reasks.incrementAndGet();
            conversation.add(AiMessage.from(answer));
            conversation.add(prompt.correction(invalid.getMessage()));
            return answers.labels(chat(conversation));
        }
    }

    @Override
    public int parallelism() {
        return settings.maxConcurrency();
    }

    /** How many answers were invalid and asked again, since construction. */
    public long reasks() {
        return reasks.get();
    }

    /** The provenance every label of this classifier carries. */
    public Provenance provenance() {
        return provenance;
    }

    /**
     * Refuses further calls. LangChain4j's JDK HTTP client holds no resource to close on Java 17: its connections
     * and threads end once it is unreachable.
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "OpenAiPromptClassifier[" + settings + ", template=" + TEMPLATE_VERSION + "]";
    }

    private String chat(List<ChatMessage> conversation) {
        if (closed) {
            throw new IllegalStateException("classifier is closed");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while waiting for a free request slot", e);
        }
        try {
            String text = model.chat(conversation).aiMessage().text();
            return text == null ? "" : text;
        } catch (RuntimeException failure) {
            throw translate(failure);
        } finally {
            inFlight.release();
        }
    }

    private RuntimeException translate(RuntimeException failure) {
        String endpoint = "endpoint " + settings.baseUrl() + " (model " + settings.model() + ")";
        int status = statusCode(failure);
        if (failure instanceof TimeoutException) {
            return new BackendUnavailableException(endpoint + ": no answer within " + settings.timeout(), failure);
        }
        if (failure instanceof RetriableException) {
            String what = status < 0 ? "temporary failure" : "HTTP " + status;
            return new BackendUnavailableException(endpoint + ": " + what + ", try again later", failure);
        }
        if (failure instanceof AuthenticationException) {
            return new BackendUnavailableException(endpoint + ": HTTP " + status + ", credentials rejected; fix the API key", null);
        }
        if (failure instanceof ModelNotFoundException) {
            return new BackendUnavailableException(endpoint + ": HTTP 404; fix the base URL or the model name", failure);
        }
        if (failure instanceof UnresolvedModelServerException) {
            return new BackendUnavailableException(endpoint + ": unknown host; fix the base URL", failure);
        }
        if (failure instanceof InvalidRequestException) {
            return new InvalidAnswerException("endpoint rejected the request: HTTP " + status + " " + rejection(failure));
        }
        if (causedBy(failure, InterruptedException.class)) {
            Thread.currentThread().interrupt();
            return new BackendUnavailableException(endpoint + ": interrupted while waiting for the answer", failure);
        }
        if (causedBy(failure, IOException.class)) {
            return new BackendUnavailableException(endpoint + ": unreachable (" + rootMessage(failure) + ")", failure);
        }
        return failure;
    }

    private static int statusCode(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http) {
                return http.statusCode();
            }
        }
        return -1;
    }

    /** The server's error text (the HTTP body), shortened: it ends up in a dead letter. */
    private static String rejection(Throwable failure) {
        String body = rootMessage(failure);
        return body.length() <= MAX_REJECTION_CHARS ? body : body.substring(0, MAX_REJECTION_CHARS) + "...";
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
