package io.misalignstream.cli.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluator service's run API: {@code POST /runs}, {@code GET /runs/{id}}, {@code GET /runs/{id}/report} and
 * {@code /report.html}, each with the API key in {@code X-API-Key}. A service that cannot be reached is tried again
 * every second until the timeout has passed since the first failure; an answer other than the expected one is an
 * {@link EvaluatorException} whose message names the service's own reason ({@code {"errors":[{"message":...}]}}).
 */
public final class EvaluatorClient {

    /** Header of the API key (the api-keys module's {@code ApiKeys.HEADER}). */
    public static final String KEY_HEADER = "X-API-Key";

    /** Reads the reports leniently: undefined figures may come as {@code null}, {@code "NaN"} or a bare {@code NaN}. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static final Duration RETRY = Duration.ofSeconds(1);

    private final URI evaluator;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    public EvaluatorClient(URI evaluator, String apiKey, Duration timeout) {
        this.evaluator = evaluator.toString().endsWith("/") ? evaluator : URI.create(evaluator + "/");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * Starts a run.
     *
     * @param targets the targets, or empty for all the service has
     * @param repeats the repeats, or {@code null} for the service's default
     * @return the run's status
     */
    public JsonNode start(String split, List<String> targets, Integer repeats) {
        ObjectNode body = JSON.createObjectNode().put("split", split);
        if (!targets.isEmpty()) {
            body.putArray("targets").addAll(targets.stream().map(body::textNode).toList());
        }
        if (repeats != null) {
            body.put("repeats", repeats);
        }
        HttpRequest request = request("runs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        // A POST is sent again only when it never reached the service: no second run.
        return tree(send(request, 202, "start a run", false));
    }

    /** The run's status: state, pairs, expected verdicts, verdicts per target. */
    public JsonNode status(String runId) {
        return tree(send(request("runs/" + segment(runId)).GET().build(), 200, "report on run " + runId, true));
    }

    /** The run's report as the service writes it (JSON). */
    public String report(String runId) {
        return send(request("runs/" + segment(runId) + "/report").GET().build(), 200, "give the report of run " + runId, true);
    }

    /** The run's report as an HTML page. */
    public String reportPage(String runId) {
        return send(request("runs/" + segment(runId) + "/report.html").GET().build(), 200,
                "give the report page of run " + runId, true);
    }

    /** Reads a report or status body. */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EvaluatorException("the evaluator service answered with something that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(evaluator.resolve(path)).timeout(timeout).header(KEY_HEADER, apiKey)
                .header("Accept", path.endsWith(".html") ? "text/html" : "application/json");
    }

    private String send(HttpRequest request, int expected, String what, boolean idempotent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response;
        while (true) {
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                break;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                if (System.nanoTime() + RETRY.toNanos() > deadline) {
                    throw new EvaluatorException("cannot reach the evaluator service at " + evaluator + " within " + timeout.toSeconds()
                            + " s; is it running? (name it with --evaluator-url or MISALIGN_EVALUATOR_URL)", e);
                }
                pause();
            } catch (HttpTimeoutException e) {
                if (!idempotent || System.nanoTime() + RETRY.toNanos() > deadline) {
                    throw new EvaluatorException("the evaluator service at " + evaluator + " did not answer within " + timeout.toSeconds()
                            + " s", e);
                }
                pause();
            } catch (IOException e) {
                throw new EvaluatorException("cannot reach the evaluator service at " + evaluator + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EvaluatorException("interrupted", e);
            }
        }
        int status = response.statusCode();
        if (status == expected) {
            return response.body();
        }
        if (status == 401) {
            throw new EvaluatorException("the evaluator service refused the API key: set MISALIGN_API_KEY to one of the keys in its "
                    + "MISALIGN_API_KEYS", null);
        }
        throw new EvaluatorException("the evaluator service would not " + what + " (" + status + "): " + reason(response.body()), null);
    }

    /** The messages of an {@code {"errors":[{"message":...}]}} body, else the body's start. */
    static String reason(String body) {
        List<String> messages = new ArrayList<>();
        try {
            JSON.readTree(body).path("errors").forEach(error -> {
                if (error.path("message").isTextual()) {
                    messages.add(error.path("message").asText());
                }
            });
        } catch (IOException | RuntimeException e) {
            // not the service's error shape: show the body itself
        }
        if (!messages.isEmpty()) {
            return String.join("; ", messages);
        }
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "no reason given" : text.length() > 300 ? text.substring(0, 300) + " ..." : text;
    }

    private static String segment(String runId) {
        return URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvaluatorException("interrupted", e);
        }
    }

    /** A request the service did not answer as it should, with a message for the user. */
    public static final class EvaluatorException extends RuntimeException {
        public EvaluatorException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
