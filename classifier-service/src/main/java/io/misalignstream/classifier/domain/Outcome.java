package io.misalignstream.classifier.domain;

import io.misalignstream.contracts.event.ClassifiedPrompt;

/** What became of one ingested prompt: labelled, or refused with the reason its dead letter carries. */
public sealed interface Outcome {

    record Classified(ClassifiedPrompt event) implements Outcome {
    }

    record Refused(String reason, Throwable error) implements Outcome {
    }
}
