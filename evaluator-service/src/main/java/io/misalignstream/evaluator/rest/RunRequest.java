package io.misalignstream.evaluator.rest;

import java.util.List;

/** {@code POST /runs}: a split, and optionally the targets (default: all) and the repeats (default: evaluator.repeats). */
public record RunRequest(String split, List<String> targets, Integer repeats) {
}
