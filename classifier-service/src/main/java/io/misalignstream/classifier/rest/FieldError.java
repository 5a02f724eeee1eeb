package io.misalignstream.classifier.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.misalignstream.apikeys.ErrorBody;

/**
 * One reason a request was refused. {@code index} is the 0-based item of a JSON array (0 for a single object)
 * or the 0-based line of an NDJSON body; {@code field} is the prompt field at fault. Both are absent when the
 * reason is the request as a whole (too large, too many prompts, Kafka unavailable).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(Integer index, String field, String message) implements ErrorBody.Problem {

    public static FieldError ofRequest(String message) {
        return new FieldError(null, null, message);
    }
}
