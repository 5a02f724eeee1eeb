package io.misalignstream.evaluator.domain;

import io.misalignstream.contracts.event.Polarity;

/** One question of a run: what one target says about one response of one pair, in one repeat. */
public record WorkItem(String runId, String target, String promptId, Polarity polarity, int repeat, String prompt,
                       String response) {

    /** The verdict's key within its run and target. */
    public String key() {
        return key(promptId, polarity, repeat);
    }

    public static String key(String promptId, Polarity polarity, int repeat) {
        return promptId + '\u0000' + polarity.json() + '\u0000' + repeat;
    }
}
