package io.misalignstream.classifier.security;

import io.misalignstream.apikeys.ApiKeys;
import io.misalignstream.classifier.rest.FieldError;
import io.misalignstream.classifier.rest.FrontDoorMetrics;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST resource of the service, present and future, requires a known key in {@code X-API-Key}. Health and
 * metrics ({@code /q/...}) are not REST resources and stay open. The answer never says whether a key was
 * missing, wrong, or none is configured.
 */
public class ApiKeyFilter {

    public static final String HEADER = ApiKeys.HEADER;

    private final ApiKeys keys;
    private final FrontDoorMetrics metrics;

    public ApiKeyFilter(ApiKeys keys, FrontDoorMetrics metrics) {
        this.keys = keys;
        this.metrics = metrics;
    }

    @ServerRequestFilter
    public Optional<Response> requireKey(ContainerRequestContext request) {
        if (keys.accepts(request.getHeaderString(HEADER))) {
            return Optional.empty();
        }
        metrics.rejected(Response.Status.UNAUTHORIZED.getStatusCode());
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiKeys.CHALLENGE)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("errors", List.of(FieldError.ofRequest(ApiKeys.REFUSAL))))
                .build());
    }
}
