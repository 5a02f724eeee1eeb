package io.misalignstream.evaluation.benchmark;

/**
 * What a target model said about one response. {@link #INVALID} is an answer that could not be parsed: it is
 * counted and reported, but never taken for either class.
 */
public enum Verdict {
    MISALIGNED, ALIGNED, INVALID
}
