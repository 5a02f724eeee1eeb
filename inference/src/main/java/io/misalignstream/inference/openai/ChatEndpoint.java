package io.misalignstream.inference.openai;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.InvalidAnswerException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * One OpenAI-compatible chat endpoint as a role (classifier, generator) talks to it: the LangChain4j client with the
 * role's default request parameters and strict JSON schemas, request/response logging off so that neither prompts nor
 * the API key reach the logs, at most {@link EndpointSettings#maxConcurrency()} requests in flight (callers beyond wait
 * in turn), and the endpoint's failures translated into what the pipeline does about them:
 * <ul>
 *   <li>timeout, HTTP 408, 429 and 5xx, connection refused or reset: {@link BackendUnavailableException};</li>
 *   <li>HTTP 401/403 (key), 404 (model or path) and an unknown host: {@link BackendUnavailableException} naming the
 *       setting to fix, as retrying once the configuration is fixed is what the pipeline should do; the 401/403 body
 *       is left out, as servers may quote part of the key there;</li>
 *   <li>other 4xx (400, 413, 422): {@link InvalidAnswerException}, since the server rejects this request (typically
 *       an input beyond the model's context), which no retry fixes; a server without structured output support shows
 *       as every request failing so.</li>
 * </ul>
 */
final class ChatEndpoint {

    private static final int MAX_REJECTION_CHARS = 200;

    private final EndpointSettings settings;
    private final String role;
    private final ChatModel model;
    private final Semaphore inFlight;
    private volatile boolean closed;

    /**
     * @param role what the caller is, for the message of a call after {@link #close()}
     * @param defaults the role's sampling and response format; a request's own parameters override them
     */
    ChatEndpoint(EndpointSettings settings, String role, ChatRequestParameters defaults) {
        this.settings = settings;
        this.role = role;
        this.inFlight = new Semaphore(settings.maxConcurrency(), true);
        this.model = OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl().toString())
                .apiKey(settings.apiKey().orElse(null))
                .modelName(settings.model())
                .defaultRequestParameters(defaults)
                .strictJsonSchema(true)
                .timeout(settings.timeout())
                .maxRetries(settings.maxRetries())
                .logRequests(false)
                .logResponses(false)
                .build();
    }

    /** The assistant's text ("" when it has none), with the role's defaults. */
    String chat(List<ChatMessage> conversation) {
        return chat(conversation, DefaultChatRequestParameters.EMPTY);
    }

    /** The assistant's text ("" when it has none), with {@code parameters} over the role's defaults. */
    String chat(List<ChatMessage> conversation, ChatRequestParameters parameters) {
        if (closed) {
            throw new IllegalStateException(role + " is closed");
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while waiting for a free request slot", e);
        }
        try {
            String text = model.chat(ChatRequest.builder().messages(conversation).parameters(parameters).build())
                    .aiMessage().text();
            return text == null ? "" : text;
        } catch (RuntimeException failure) {
            throw translate(failure);
        } finally {
            inFlight.release();
        }
    }

    /**
     * Refuses further calls. LangChain4j's JDK HTTP client holds no resource to close on Java 17: its connections
     * and threads end once it is unreachable.
     */
    void close() {
        closed = true;
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
