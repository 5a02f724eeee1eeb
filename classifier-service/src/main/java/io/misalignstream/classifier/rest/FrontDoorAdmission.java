package io.misalignstream.classifier.rest;

import io.misalignstream.apikeys.ApiKeys;
import io.misalignstream.apikeys.ErrorBody;
import io.misalignstream.classifier.config.FrontDoorConfig;
import io.misalignstream.contracts.EventCodec;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code front-door.max-concurrent-requests} {@code POST /prompts} requests with a valid key at once, each
 * counted from its first byte until its response ends: a request's body is held in memory while it is read and
 * published. One more is answered 429 with {@code Retry-After} at once, before its body is read. A filter of the HTTP
 * layer, not of the resource: Quarkus REST reads a body whole before the resource method runs. A client that hangs up
 * frees its place at once, while its body may still be published (within {@code front-door.publish-timeout}).
 */
@ApplicationScoped
public class FrontDoorAdmission {

    /** What a 429 asks a client to wait: a request takes well under a second. */
    static final int RETRY_AFTER_SECONDS = 1;
    // ahead of the REST layer, which reads the body
    private static final int PRIORITY = 100;

    private final Semaphore requests;
    private final String busy;
    private final FrontDoorMetrics metrics;
    private final ApiKeys keys;

    public FrontDoorAdmission(FrontDoorConfig config, FrontDoorMetrics metrics, ApiKeys keys) {
        this.requests = new Semaphore(config.maxConcurrentRequests());
        this.metrics = metrics;
        this.keys = keys;
        try {
            this.busy = EventCodec.mapper().writeValueAsString(new ErrorBody(List.of(FieldError.ofRequest("the front door is handling "
                    + config.maxConcurrentRequests() + " requests already (front-door.max-concurrent-requests); send again shortly")), null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::admit, PRIORITY);
    }

    void admit(RoutingContext context) {
        String path = context.normalizedPath();
        if (!HttpMethod.POST.equals(context.request().method()) || !(path.equals("/prompts") || path.equals("/prompts/"))
                || !keys.accepts(context.request().getHeader(ApiKeys.HEADER))) {
            // other routes, and a request without a valid key, which ApiKeyFilter answers 401 without a place
            context.next();
            return;
        }
        if (!requests.tryAcquire()) {
            metrics.rejected(429);
            context.response().setStatusCode(429)
                    .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(busy);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        // the response sent, or the connection gone: either way the request no longer holds its place
        context.addEndHandler(ended -> {
            if (released.compareAndSet(false, true)) {
                requests.release();
            }
        });
        context.next();
    }
}
