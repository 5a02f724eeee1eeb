package io.misalignstream.apikeys;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request a resource refuses, thrown from wherever the refusal is found; answered with its status and
 * {@link ErrorBody} by the mapper below, the same in every service.
 */
public class RequestRefused extends RuntimeException {

    private final Response.Status status;

    public RequestRefused(Response.Status status, String message) {
        super(message);
        this.status = status;
    }

    public Response.Status status() {
        return status;
    }

    /** Writes a {@link RequestRefused} as its status and error body. */
    public static final class Mapper {

        @ServerExceptionMapper
        public Response refused(RequestRefused refused) {
            return ErrorBody.response(refused.status(), refused.getMessage());
        }
    }
}
