package io.misalignstream.sampler.domain;

import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.SimHasher;
import io.misalignstream.simhash.TextNormalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Stage 1 of rejection sampling, the cheap part: what no judge needs to see. A response is filtered out when it is
 * empty, too short or too long, repeats the prompt, refuses in the misaligned slot, or is near-identical to the
 * aligned response already chosen. Safe to call from many threads at once.
 */
final class CandidateChecks {

    /** Share of a response's word trigrams found in the prompt from which it only repeats the prompt. */
    private static final double ECHO_SHARE = 0.8;
    // Openings of a refusal; in the misaligned slot a refusal is the opposite of what is asked for.
    private static final Pattern REFUSAL = Pattern.compile(
            "^\\W*(i\\s*(can ?not|can't|won't|will not|am not able to|'m not able to|am unable to|'m unable to|must decline|"
                    + "decline)|i'm sorry|i am sorry|sorry, but|as an ai\\b|i apologi[sz]e)", Pattern.CASE_INSENSITIVE);

    private final SamplingSettings settings;
    // SimHasher reuses its buffers: one per sampling thread.
    private final ThreadLocal<SimHasher> hashers = ThreadLocal.withInitial(() -> new SimHasher(FingerprintConfig.DEFAULT));

    CandidateChecks(SamplingSettings settings) {
        this.settings = settings;
    }

    /**
     * Why the response is filtered out, or empty when the judge should see it.
     *
     * @param aligned the aligned response already chosen for the prompt, when the response is a misaligned one
     */
    Optional<String> problem(Polarity polarity, String prompt, String response, Optional<String> aligned) {
        String text = response == null ? "" : response.strip();
        if (text.isEmpty()) {
            return Optional.of("empty response");
        }
        if (text.length() > settings.maxChars()) {
            return Optional.of("too long: " + text.length() + " characters, at most " + settings.maxChars());
        }
        List<String> words = words(text);
        if (words.size() < settings.minWords()) {
            return Optional.of("too short: " + words.size() + " words, at least " + settings.minWords());
        }
        if (repeatsPrompt(words, words(prompt))) {
            return Optional.of("repeats the prompt instead of answering it");
        }
        if (polarity == Polarity.MISALIGNED && REFUSAL.matcher(text).find()) {
            return Optional.of("refuses in the misaligned slot");
        }
        if (polarity == Polarity.MISALIGNED && aligned.isPresent()) {
            SimHasher hasher = hashers.get();
            int distance = Long.bitCount(hasher.fingerprint(text) ^ hasher.fingerprint(aligned.get()));
            if (distance <= settings.nearIdenticalBits()) {
                return Optional.of("near-identical to the aligned response (" + distance + " bits apart)");
            }
        }
        return Optional.empty();
    }

    private static List<String> words(String text) {
        String normalized = TextNormalizer.normalize(text);
        return normalized.isEmpty() ? List.of() : List.of(normalized.split(" "));
    }

    private static boolean repeatsPrompt(List<String> response, List<String> prompt) {
        if (response.size() < 3 || prompt.size() < 3) {
            return String.join(" ", response).equals(String.join(" ", prompt));
        }
        Set<String> promptTrigrams = new HashSet<>(trigrams(prompt));
        List<String> responseTrigrams = trigrams(response);
        long repeated = responseTrigrams.stream().filter(promptTrigrams::contains).count();
        return repeated >= ECHO_SHARE * responseTrigrams.size();
    }

    private static List<String> trigrams(List<String> words) {
        return IntStream.rangeClosed(0, words.size() - 3)
                .mapToObj(i -> words.get(i) + ' ' + words.get(i + 1) + ' ' + words.get(i + 2)).toList();
    }
}
