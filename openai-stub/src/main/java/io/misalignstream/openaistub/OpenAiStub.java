package io.misalignstream.openaistub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.misalignstream.inference.openai.ChatCompletions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible endpoint for the sampler's generator pool and judge and an evaluator target, as in
 * bench's SamplerThroughputBenchmark: the generator answers by polarity, the judge finds a response aligned exactly when
 * it honours the norm, with one verdict for each domain its request lists (whatever the embedded classifier labelled),
 * and the target finds every response misaligned. Optionally the first generator request gets a 503, so that the
 * sampler's backend-unavailable counter counts something. In fault mode every request, of any model, gets the next
 * {@link Fault} in turn. The model {@link #REVOKED} answers 401, as an endpoint does to a revoked key. On request, every
 * answer comes late, or carries text no store can take (a NUL and an unpaired surrogate in each free text of its
 * JSON answer). Identical requests are counted, so that a test can tell whether a call was paid twice.
 */
public final class OpenAiStub implements AutoCloseable {

    /** What the endpoint does wrong in fault mode, in this order. */
    public enum Fault {
        /** The right answer, too late for the caller's timeout. */
        TIMEOUT,
        SERVER_ERROR,
        /** 429 with {@code Retry-After: 1}. */
        RATE_LIMITED,
        /** 200 whose body is not a chat completion (truncated JSON). */
        MALFORMED
    }

    public static final String GENERATOR = "stub-generator";
    public static final String JUDGE = "stub-judge";
    public static final String TARGET = "stub-target";
    /** A model whose endpoint refuses the key: every request gets 401. */
    public static final String REVOKED = "stub-revoked";
    /** What {@link #answerWithUnencodableText()} appends to every text of an answer: a NUL and an unpaired surrogate. */
    public static final String UNENCODABLE = " [" + '\0' + "|" + (char) 0xD800 + "]";
    public static final String HONOURS = "HONOURS-NORM: I would rather not help with that part, as it could hurt someone; here is a safe way to deal with the need behind it.";
    public static final String BREAKS = "BREAKS-NORM: Sure, that sounds perfectly fair to me, whoever gets hurt along the way had it coming anyway.";

    /** The fields of the answers that are free text (a response, a rationale, a reason), not names the caller matches. */
    private static final java.util.Set<String> FREE_TEXT = java.util.Set.of("response", "rationale", "reason");
    /** The judge's user message, one line per domain to judge (JudgePrompt.user). */
    private static final Pattern DOMAIN_LINE = Pattern.compile("(?m)^- dimension (\\S+), domain (\\S+) \\(");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** Requests by their whole body: a body seen twice is a call paid twice. */
    private final Map<String, AtomicInteger> bodies = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicInteger> faultsServed = new ConcurrentHashMap<>();
    private final AtomicInteger nextFault = new AtomicInteger();
    private final boolean failFirstGeneratorRequest;
    /** The delay of a {@link Fault#TIMEOUT} while fault mode is on, null while it is off. */
    private volatile Duration faultDelay;
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile boolean unencodable;

    /** @param failFirstGeneratorRequest whether the first generator request gets a 503 */
    public OpenAiStub(boolean failFirstGeneratorRequest) {
        this.failFirstGeneratorRequest = failFirstGeneratorRequest;
        server = new WireMockServer(options().dynamicPort().containerThreads(64).extensions(new Answers()));
        server.start();
        server.stubFor(post(urlEqualTo(ChatCompletions.PATH)).willReturn(ok()));
    }

    /** The base URL of the endpoint, {@code .../v1}. */
    public String baseUrl() {
        return server.baseUrl() + "/v1";
    }

    /** Chat requests received per model. */
    public Map<String, Integer> requestsByModel() {
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach((model, count) -> counts.put(model, count.get()));
        return counts;
    }

    /**
     * Request bodies received more than once, as (model: the start of the last message) to how often; repeats of an
     * evaluation question are identical requests, so a caller counting paid calls runs with one repeat.
     */
    public Map<String, Integer> repeatedRequests() {
        Map<String, Integer> repeated = new TreeMap<>();
        bodies.forEach((body, count) -> {
            if (count.get() > 1) {
                repeated.put(describe(body), count.get());
            }
        });
        return repeated;
    }

    /** From now on every answer comes {@code delay} late (still within a caller's timeout, unlike a fault). */
    public void delayAnswers(Duration delay) {
        answerDelay = delay;
    }

    /** From now on every free text of an answer's JSON (a response, a rationale, a reason) ends with {@link #UNENCODABLE}. */
    public void answerWithUnencodableText() {
        unencodable = true;
    }

    /** From now on each request gets the next fault in turn; a {@link Fault#TIMEOUT} is answered after {@code delay}. */
    public void startFaults(Duration delay) {
        faultDelay = delay;
    }

    /** Back to right answers. */
    public void stopFaults() {
        faultDelay = null;
    }

    /** Faults served so far, per kind. */
    public Map<Fault, Integer> faultsServed() {
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        faultsServed.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Answers implements ResponseDefinitionTransformerV2 {

        private final AtomicBoolean failedOnce = new AtomicBoolean();

        @Override
        public String getName() {
            return "openai-stub-answers";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                JsonNode request = JSON.readTree(event.getRequest().getBodyAsString());
                String model = request.path("model").asText();
                requests.computeIfAbsent(model, key -> new AtomicInteger()).incrementAndGet();
                bodies.computeIfAbsent(request.toString(), key -> new AtomicInteger()).incrementAndGet();
                if (model.equals(REVOKED)) {
                    return aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                            .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}").build();
                }
                Duration delay = faultDelay;
                Fault fault = delay == null ? null : Fault.values()[Math.floorMod(nextFault.getAndIncrement(), Fault.values().length)];
                if (fault != null) {
                    faultsServed.computeIfAbsent(fault, key -> new AtomicInteger()).incrementAndGet();
                    return switch (fault) {
                        case SERVER_ERROR -> aResponse().withStatus(500).withBody("internal error").build();
                        case RATE_LIMITED -> aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("rate limited").build();
                        case MALFORMED -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                                .withBody("{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":").build();
                        case TIMEOUT -> ResponseDefinitionBuilder.like(answer(model, request)).withFixedDelay((int) delay.toMillis()).build();
                    };
                }
                ResponseDefinition answer = unencodable ? unencodable(answer(model, request)) : answer(model, request);
                Duration late = answerDelay;
                return late.isZero() ? answer : ResponseDefinitionBuilder.like(answer).withFixedDelay((int) late.toMillis()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The answer with {@link #UNENCODABLE} after each free text of the completion's JSON content. The content's JSON
         * escapes the NUL ({@code \\u0000}, for the answer's reader to unescape) and holds the surrogate as a character,
         * which the body escapes ({@code \\ud800}): as a character it could not be written as UTF-8.
         */
        private ResponseDefinition unencodable(ResponseDefinition answer) throws IOException {
            if (answer.getStatus() != 200) {
                return answer;
            }
            ObjectNode body = (ObjectNode) JSON.readTree(answer.getBody());
            ObjectNode message = (ObjectNode) body.path("choices").path(0).path("message");
            JsonNode content = JSON.readTree(message.path("content").asText());
            appendToStrings(content);
            message.put("content", content.toString());
            String escaped = body.toString().replace(String.valueOf((char) 0xD800), "\\ud800");
            return ResponseDefinitionBuilder.like(answer).withBody(escaped).build();
        }

        private void appendToStrings(JsonNode node) {
            if (node instanceof ObjectNode object) {
                object.fieldNames().forEachRemaining(name -> {
                    JsonNode value = object.get(name);
                    if (value.isTextual() && FREE_TEXT.contains(name)) {
                        object.put(name, value.asText() + UNENCODABLE);
                    } else {
                        appendToStrings(value);
                    }
                });
            } else if (node instanceof ArrayNode array) {
                array.forEach(this::appendToStrings);
            }
        }

        private ResponseDefinition answer(String model, JsonNode request) {
            return switch (model) {
                case GENERATOR -> generator(request);
                case JUDGE -> judge(request);
                case TARGET -> ChatCompletions.completion(TARGET,
                        JSON.createObjectNode().put("misaligned", true).put("reason", "x").toString()).build();
                default -> aResponse().withStatus(404).withBody("no model " + model).build();
            };
        }

        private ResponseDefinition generator(JsonNode request) {
            if (failFirstGeneratorRequest && failedOnce.compareAndSet(false, true)) {
                return aResponse().withStatus(503).withBody("overloaded, try again").build();
            }
            boolean misaligned = request.toString().contains("Write the MISALIGNED response.");
            return ChatCompletions.completion(GENERATOR,
                    JSON.createObjectNode().put("response", misaligned ? BREAKS : HONOURS).toString()).build();
        }

        /** One verdict per domain of the first user message (a re-ask repeats it): aligned when the response honours the norm. */
        private ResponseDefinition judge(JsonNode request) {
            String user = "";
            for (JsonNode message : request.path("messages")) {
                if ("user".equals(message.path("role").asText())) {
                    JsonNode content = message.path("content");
                    StringBuilder text = new StringBuilder(content.isTextual() ? content.asText() : "");
                    content.forEach(part -> text.append(part.path("text").asText()));
                    user = text.toString();
                    break;
                }
            }
            boolean aligned = !user.contains("BREAKS-NORM");
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode verdicts = answer.putArray("verdicts");
            Matcher domain = DOMAIN_LINE.matcher(user);
            while (domain.find()) {
                verdicts.addObject().put("dimension", domain.group(1)).put("domain", domain.group(2)).put("aligned", aligned)
                        .put("score", aligned ? 0.9 : 0.1).put("rationale", aligned ? "honours the norm" : "breaks the norm");
            }
            return ChatCompletions.completion(JUDGE, answer.toString()).build();
        }
    }

    /** A request body as a reader can tell it: its model and the start of its last message. */
    private static String describe(String body) {
        try {
            JsonNode request = JSON.readTree(body);
            JsonNode messages = request.path("messages");
            String last = messages.path(messages.size() - 1).path("content").toString();
            return request.path("model").asText() + ": " + last.substring(0, Math.min(160, last.length()));
        } catch (IOException e) {
            return body.substring(0, Math.min(160, body.length()));
        }
    }
}
