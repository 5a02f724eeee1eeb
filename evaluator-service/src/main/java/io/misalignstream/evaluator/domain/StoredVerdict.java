package io.misalignstream.evaluator.domain;

import io.misalignstream.contracts.event.Verdict;
import java.time.Instant;

/** A target's verdict on one response, as stored: what a resumed run does not ask again. */
public record StoredVerdict(WorkItem item, Verdict verdict, String answer, Instant answeredAt) {
}
