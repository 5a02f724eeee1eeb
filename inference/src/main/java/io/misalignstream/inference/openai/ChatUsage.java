package io.misalignstream.inference.openai;

/**
 * What a role's calls cost since it was made.
 *
 * @param calls requests sent to the endpoint, re-asks and failed requests included
 * @param cacheHits calls answered from the {@link io.misalignstream.inference.ChatAnswerCache} instead
 * @param reasks answers that were invalid and asked again
 * @param inputTokens prompt tokens the endpoint reported (0 for a server that reports none)
 * @param outputTokens completion tokens the endpoint reported
 */
public record ChatUsage(long calls, long cacheHits, long reasks, long inputTokens, long outputTokens) {

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
