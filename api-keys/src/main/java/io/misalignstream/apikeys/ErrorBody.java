package io.misalignstream.apikeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The body of every refused request of every service: {@code {"errors": [{"message": ...}, ...]}}, each problem with
 * what locates it where there is something to locate (an item and field of a prompt batch, a line of a ratings table),
 * and {@code omitted} when more problems were found than are listed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(List<? extends Problem> errors, Integer omitted) {

    /** One reason a request was refused. */
    public interface Problem {
        String message();
    }

    /** A reason that concerns the request as a whole. */
    public record Message(String message) implements Problem {
    }

    public static ErrorBody of(String message) {
        return new ErrorBody(List.of(new Message(message)), null);
    }

    /** The response of a request refused for one reason. */
    public static Response response(Response.Status status, String message) {
        return response(status.getStatusCode(), of(message));
    }

    public static Response response(int status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
