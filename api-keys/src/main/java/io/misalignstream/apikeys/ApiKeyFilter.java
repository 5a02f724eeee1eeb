package io.misalignstream.apikeys;

import jakarta.enterprise.event.Event;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST resource of a service that depends on this module requires a known key in {@code X-API-Key}; health and
 * metrics ({@code /q/...}) are not REST resources and stay open. The answer never says whether a key was missing,
 * wrong, or none is configured. The service produces the {@link ApiKeys} bean from its configuration; each refusal
 * is fired as an {@link ApiKeyRefusal} event, for a service that counts them.
 */
public class ApiKeyFilter {

    private final ApiKeys keys;
    private final Event<ApiKeyRefusal> refusals;

    public ApiKeyFilter(ApiKeys keys, Event<ApiKeyRefusal> refusals) {
        this.keys = keys;
        this.refusals = refusals;
    }

    @ServerRequestFilter
    public Optional<Response> requireKey(ContainerRequestContext request) {
        if (keys.accepts(request.getHeaderString(ApiKeys.HEADER))) {
            return Optional.empty();
        }
        refusals.fire(new ApiKeyRefusal(request.getUriInfo().getPath()));
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiKeys.CHALLENGE)
                .type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(ApiKeys.REFUSAL))
                .build());
    }
}
