package io.misalignstream.classifier.rest;

import io.misalignstream.apikeys.ErrorBody;
import io.misalignstream.classifier.config.ClassifierConfig;
import io.misalignstream.classifier.config.FrontDoorConfig;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.Prompt;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code POST /prompts}: the pipeline's HTTP front door. Accepted prompts go to {@code prompts.ingested}; the
 * answer (202) comes once Kafka has every one of them. Parsing and validation are {@link PromptBatchReader}'s;
 * the API key is checked before this runs ({@code io.misalignstream.apikeys.ApiKeyFilter}), and the number of
 * requests at once bounded before their bodies are read ({@link FrontDoorAdmission}).
 */
@Path("/prompts")
public class PromptResource {

    public static final String NDJSON = "application/x-ndjson";

    private static final Logger LOG = Logger.getLogger(PromptResource.class);
    /** What a 503 asks a client to wait: a broker restarting or electing a leader is back within seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** The 202 body: how many prompts were published and their ids, in request order. */
    public record Accepted(int accepted, List<String> ids) {
    }

    private final PromptBatchReader reader;
    private final PromptPublisher publisher;
    private final FrontDoorMetrics metrics;

    public PromptResource(FrontDoorConfig frontDoor, ClassifierConfig classifier, PromptPublisher publisher, FrontDoorMetrics metrics) {
        this.reader = new PromptBatchReader(EventCodec.mapper(), classifier.maxTextBytes(), frontDoor.maxRequestBytes(), frontDoor.maxPrompts());
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response postJson(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) throws InterruptedException {
        return submit(length, () -> reader.readJson(body));
    }

    @POST
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response postNdjson(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length) throws InterruptedException {
        return submit(length, () -> reader.readNdjson(body));
    }

    private interface Read {
        Submission submission() throws IOException;
    }

    private Response submit(Long length, Read read) throws InterruptedException {
        // A declared length over the limit is refused before a byte of the body is read.
        if (length != null && length > reader.maxRequestBytes()) {
            return refused(413, List.of(FieldError.ofRequest("request body over the limit of " + reader.maxRequestBytes() + " bytes")), 0);
        }
        Submission submission;
        try {
            submission = read.submission();
        } catch (IOException e) {
            return refused(400, List.of(FieldError.ofRequest("the request body could not be read: " + e.getMessage())), 0);
        }
        if (submission instanceof Submission.Refused refusal) {
            return refused(refusal.status(), refusal.errors(), refusal.omitted());
        }
        List<Prompt> prompts = ((Submission.Valid) submission).prompts();
        Instant now = Instant.now();
        try {
            publisher.publish(prompts.stream().map(prompt -> IngestedPrompt.of(prompt, now)).toList());
        } catch (PromptPublisher.PublishException e) {
            // Kafka is unavailable: the one answer a client should send again, after a while
            LOG.warnf("POST /prompts: %d prompts not published: %s", prompts.size(), e.getMessage());
            return Response.fromResponse(refused(503, List.of(FieldError.ofRequest(e.getMessage())), 0))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        metrics.accepted(prompts.size());
        return Response.accepted(new Accepted(prompts.size(), prompts.stream().map(Prompt::id).toList())).build();
    }

    private Response refused(int status, List<FieldError> errors, int omitted) {
        metrics.rejected(status);
        return ErrorBody.response(status, new ErrorBody(errors, omitted == 0 ? null : omitted));
    }
}
