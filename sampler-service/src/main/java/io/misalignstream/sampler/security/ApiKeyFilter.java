package io.misalignstream.sampler.security;

import io.misalignstream.apikeys.ApiKeys;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST resource of the service requires a known key in {@code X-API-Key}; health and metrics ({@code /q/...})
 * are not REST resources and stay open. The answer never says whether a key was missing, wrong, or none is configured.
 */
public class ApiKeyFilter {

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public Optional<Response> requireKey(ContainerRequestContext request) {
        if (keys.accepts(request.getHeaderString(ApiKeys.HEADER))) {
            return Optional.empty();
        }
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiKeys.CHALLENGE)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("errors", List.of(Map.of("message", ApiKeys.REFUSAL))))
                .build());
    }
}
