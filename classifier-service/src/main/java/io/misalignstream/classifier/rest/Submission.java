package io.misalignstream.classifier.rest;

import io.misalignstream.contracts.event.Prompt;
import java.util.List;

/** What a request body amounts to: every prompt in it valid, or the request refused as a whole. */
public sealed interface Submission {

    record Valid(List<Prompt> prompts) implements Submission {
    }

    /**
     * The HTTP status (400 or 413) and the reasons, at most {@link PromptBatchReader#MAX_REPORTED_ERRORS};
     * {@code omitted} counts the ones left out.
     */
    record Refused(int status, List<FieldError> errors, int omitted) implements Submission {

        static Refused of(int status, FieldError error) {
            return new Refused(status, List.of(error), 0);
        }
    }
}
