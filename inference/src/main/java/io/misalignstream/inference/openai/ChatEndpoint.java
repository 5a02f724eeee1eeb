package io.misalignstream.inference.openai;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
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
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import io.misalignstream.contracts.event.EncodableText;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.inference.BackendUnavailableException;
import io.misalignstream.inference.EndpointMisconfiguredException;
import io.misalignstream.inference.ChatAnswerCache;
import io.misalignstream.inference.InvalidAnswerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One OpenAI-compatible chat endpoint as a role (classifier, generator, judge, target) talks to it: the LangChain4j
 * client with the role's strict JSON schema (none for a target under evaluation, which answers in free text),
 * request/response logging off so that neither prompts nor the API key reach the logs, at most {@link EndpointSettings#maxConcurrency()} requests in flight (callers beyond wait in turn), and the
 * endpoint's failures translated into what the pipeline does about them:
 * <ul>
 *   <li>timeout, HTTP 408, 429 and 5xx, connection refused or reset: {@link BackendUnavailableException};</li>
 *   <li>HTTP 401/403 (key), 404 (model or path) and an unknown host: {@link EndpointMisconfiguredException} (a
 *       {@link BackendUnavailableException} and a {@code resilience.ConfigurationFault}) naming the setting to fix: the
 *       work waits and goes through once the setting is fixed, the guard does not retry it and readiness names it; the
 *       401/403 body is left out, as servers may quote part of the key there;</li>
 *   <li>other 4xx (400, 413, 422): {@link InvalidAnswerException}, since the server rejects this request (typically
 *       an input beyond the model's context), which no retry fixes; a server without structured output support shows
 *       as every request failing so.</li>
 * </ul>
 *
 * <p>{@link #ask} is the exchange every role makes: the answer is read by the role's parser; an invalid one is asked
 * again once, with the answer and the validation error added to the conversation; a second invalid answer is the
 * parser's {@link InvalidAnswerException}. The {@link ChatAnswerCache} sits around the whole exchange: it is keyed by
 * the first request (model, messages, sampling, seed) and the caller's sample number, and stores the answer that passed validation, the re-asked one
 * included, so that a replay of the request is answered from the cache without a call. Invalid answers are never
 * stored, and a cached answer the parser refuses (written by an older version) counts as a miss and is replaced.
 */
final class ChatEndpoint {

    private static final int MAX_REJECTION_CHARS = 200;

    private final EndpointSettings settings;
    private final String role;
    private final ChatModel model;
    private final ChatAnswerCache cache;
    private final Semaphore inFlight;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong reasks = new AtomicLong();
    private final AtomicLong inputTokens = new AtomicLong();
    private final AtomicLong outputTokens = new AtomicLong();
    private volatile boolean closed;

    /** A role's value with where it came from: {@code cached} when the cache held a valid answer, so no call was made. */
    record Answered<T>(T value, boolean cached) {
    }

    /**
     * @param role what the caller is, for the message of a call after {@link #close()}
     * @param responseFormat the role's strict JSON schema, sent with every request; {@code null} to send none (the
     *     answer is then free text, as for a target model under evaluation, which may not support structured output)
     * @param cache where valid answers are kept; {@link ChatAnswerCache#NONE} for none
     */
    ChatEndpoint(EndpointSettings settings, String role, ResponseFormat responseFormat, ChatAnswerCache cache) {
        this.settings = settings;
        this.role = role;
        this.cache = cache;
        this.inFlight = new Semaphore(settings.maxConcurrency(), true);
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .baseUrl(settings.baseUrl().toString())
                .apiKey(settings.apiKey().orElse(null))
                .modelName(settings.model())
                .timeout(settings.timeout())
                .maxRetries(settings.maxRetries())
                .logRequests(false)
                .logResponses(false);
        if (responseFormat != null) {
            builder.defaultRequestParameters(ChatRequestParameters.builder().responseFormat(responseFormat).build())
                    .strictJsonSchema(true);
        }
        this.model = builder.build();
    }

    /**
     * The role's exchange for one request: from the cache when it holds a valid answer, else asked, and asked once more
     * with {@code correction} of the validation error when the answer is invalid.
     *
     * @param conversation the request's messages
     * @param sampling every sampling parameter sent (absent ones are the server's defaults), and part of the cache key
     * @param sample which sample of the same messages this is (a slot, a candidate; 0 for a role that samples once): part
     *     of the cache key, so that candidates stay distinct when no seed is set
     * @param read the role's parser: the value of a valid answer, or an {@link InvalidAnswerException} saying what to fix
     * @param correction the follow-up message naming the validation error
     */
    <T> T ask(List<ChatMessage> conversation, SamplingParameters sampling, long sample, Function<String, T> read,
              Function<String, UserMessage> correction) {
        return askAnswered(conversation, sampling, sample, read, correction).value();
    }

    /**
     * {@link #ask}, saying whether the value came from the cache: a caller that must report it (a target's answer)
     * learns it from this exchange itself, not from {@link #usage()}, which other threads move at the same time.
     */
    <T> Answered<T> askAnswered(List<ChatMessage> conversation, SamplingParameters sampling, long sample,
                                Function<String, T> read, Function<String, UserMessage> correction) {
        if (closed) {
            throw new IllegalStateException(role + " is closed");
        }
        String key = cacheKey(conversation, sampling, sample);
        Optional<String> cached = cache.find(key);
        if (cached.isPresent()) {
            try {
                T value = read.apply(cached.get());
                cacheHits.incrementAndGet();
                return new Answered<>(value, true);
            } catch (InvalidAnswerException stale) {
                // answered by the endpoint below and overwritten
            }
        }
        String answer = chat(conversation, sampling);
        T value;
        try {
            value = read.apply(answer);
        } catch (InvalidAnswerException invalid) {
            reasks.incrementAndGet();
            List<ChatMessage> again = new ArrayList<>(conversation);
            again.add(AiMessage.from(answer));
            again.add(correction.apply(invalid.getMessage()));
            answer = chat(again, sampling);
            value = read.apply(answer);
        }
        cache.store(key, answer);
        return new Answered<>(value, false);
    }

    ChatUsage usage() {
        return new ChatUsage(calls.get(), cacheHits.get(), reasks.get(), inputTokens.get(), outputTokens.get());
    }

    /**
     * SHA-256 hex of the model name, each message's type and text, the sampling parameters and the sample number, every
     * field length-prefixed so that no two requests share a key by where their texts happen to split.
     */
    private String cacheKey(List<ChatMessage> conversation, SamplingParameters sampling, long sample) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        field(digest, settings.model());
        for (ChatMessage message : conversation) {
            field(digest, message.type().name());
            field(digest, text(message));
        }
        field(digest, String.valueOf(sampling.temperature()));
        field(digest, String.valueOf(sampling.topP()));
        field(digest, String.valueOf(sampling.maxTokens()));
        field(digest, String.valueOf(sampling.seed()));
        field(digest, String.valueOf(sample));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void field(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static String text(ChatMessage message) {
        if (message instanceof SystemMessage system) {
            return system.text();
        }
        if (message instanceof UserMessage user) {
            return user.hasSingleText() ? user.singleText() : user.contents().toString();
        }
        if (message instanceof AiMessage ai) {
            return String.valueOf(ai.text());
        }
        return message.toString();
    }

    /** The assistant's text ("" when it has none), NUL and unpaired surrogates replaced: no stage or store could carry them. */
    private String chat(List<ChatMessage> conversation, SamplingParameters sampling) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while waiting for a free request slot", e);
        }
        try {
            calls.incrementAndGet();
            ChatResponse response = model.chat(ChatRequest.builder().messages(conversation).parameters(parameters(sampling)).build());
            count(response.tokenUsage());
            String text = response.aiMessage().text();
            return text == null ? "" : EncodableText.repaired(text);
        } catch (RuntimeException failure) {
            throw translate(failure);
        } finally {
            inFlight.release();
        }
    }

    private static ChatRequestParameters parameters(SamplingParameters sampling) {
        return OpenAiChatRequestParameters.builder()
                .temperature(sampling.temperature())
                .topP(sampling.topP())
                .maxOutputTokens(sampling.maxTokens())
                .seed(sampling.seed() == null ? null : Math.toIntExact(sampling.seed()))
                .build();
    }

    private void count(TokenUsage usage) {
        if (usage != null) {
            inputTokens.addAndGet(usage.inputTokenCount() == null ? 0 : usage.inputTokenCount());
            outputTokens.addAndGet(usage.outputTokenCount() == null ? 0 : usage.outputTokenCount());
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
            return new EndpointMisconfiguredException(endpoint + ": HTTP " + status + ", credentials rejected; fix the API key", null);
        }
        if (failure instanceof ModelNotFoundException) {
            return new EndpointMisconfiguredException(endpoint + ": HTTP 404; fix the base URL or the model name", failure);
        }
        if (failure instanceof UnresolvedModelServerException) {
            return new EndpointMisconfiguredException(endpoint + ": unknown host; fix the base URL", failure);
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
