package io.misalignstream.bench;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import io.misalignstream.simhash.Candidate;
import io.misalignstream.simhash.FeatureKind;
import io.misalignstream.simhash.FingerprintConfig;
import io.misalignstream.simhash.PromptSketcher;
import io.misalignstream.simhash.SimHasher;
import io.misalignstream.simhash.TextNormalizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Single-thread throughput of SimHash fingerprinting on real prompts of about 30 words, beside two
 * baselines of the same run: normalisation alone, and one XXH3-64 of the whole raw text. Each call
 * takes the next prompt of a fixed set, so a score in operations per second is prompts per second.
 *
 * <p>Prompts: every distinct prompt of the sources of {@link NearDuplicateBenchmark#sources} with
 * 25 to 35 words as it is, and every longer one cut to its first 30 words (whitespace-separated).
 *
 * <p>Usage: {@code FingerprintBenchmark DATA_DIR}: runs JMH, then prints a markdown table of prompts/s
 * and the ratio of each benchmark to each baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 2)
public class FingerprintBenchmark {

    /** How the forked benchmark JVM learns where the data is. */
    static final String DATA_DIR_PROPERTY = "misalignstream.bench.data";
    static final int MIN_WORDS = 25;
    static final int MAX_WORDS = 35;
    static final int CUT_WORDS = 30;

    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Hasher64 XXH3 = Hashing.xxh3_64();

    private final SimHasher char3 = new SimHasher(FingerprintConfig.DEFAULT);
    private final SimHasher word3 = new SimHasher(new FingerprintConfig(FeatureKind.WORD, 3));
    private final PromptSketcher sketcher = new PromptSketcher(FingerprintConfig.DEFAULT);
    private String[] prompts;
    private int next;

    @Setup
    public void loadPrompts() throws IOException {
        prompts = prompts(Path.of(System.getProperty(DATA_DIR_PROPERTY, "../shared/data"))).toArray(String[]::new);
    }

    @Benchmark
    public long fingerprintChar3() {
        return char3.fingerprint(nextPrompt());
    }

    /** What the dedup stage computes per prompt from fingerprint version 2 on: the SimHash and the 5-gram set signature. */
    @Benchmark
    public Candidate candidateDefault() {
        return sketcher.candidate("id", nextPrompt());
    }

    @Benchmark
    public long fingerprintWord3() {
        return word3.fingerprint(nextPrompt());
    }

    @Benchmark
    public String baselineNormalizeOnly() {
        return TextNormalizer.normalize(nextPrompt());
    }

    @Benchmark
    public long baselineXxh3RawText() {
        return XXH3.hashCharsToLong(nextPrompt());
    }

    private String nextPrompt() {
        String prompt = prompts[next];
        next = next + 1 == prompts.length ? 0 : next + 1;
        return prompt;
    }

    static List<String> prompts(Path data) throws IOException {
        Set<String> prompts = new LinkedHashSet<>();
        for (List<String> texts : NearDuplicateBenchmark.sources(data).values()) {
            for (String text : texts) {
                List<Integer> wordEnds = new ArrayList<>();
                Matcher word = WORD.matcher(text);
                while (word.find()) {
                    wordEnds.add(word.end());
                }
                if (wordEnds.size() > MAX_WORDS) {
                    prompts.add(text.substring(0, wordEnds.get(CUT_WORDS - 1)));
                } else if (wordEnds.size() >= MIN_WORDS) {
                    prompts.add(text);
                }
            }
        }
        return new ArrayList<>(prompts);
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data").toAbsolutePath().normalize();
        List<String> prompts = prompts(data);
        double words = prompts.stream().mapToLong(p -> WORD.matcher(p).results().count()).average().orElse(0);
        double chars = prompts.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf(Locale.ROOT, "prompts: %,d (mean %.1f words, %.0f chars) from %s%n", prompts.size(), words, chars, data);

        OptionsBuilder options = new OptionsBuilder();
        options.include(Pattern.quote(FingerprintBenchmark.class.getName() + "."));
        options.jvmArgsAppend("-D" + DATA_DIR_PROPERTY + "=" + data);
        Map<String, Result<?>> scores = new LinkedHashMap<>();
        for (RunResult run : new Runner(options.build()).run()) {
            String benchmark = run.getParams().getBenchmark();
            scores.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), run.getPrimaryResult());
        }

        double normalizeOnly = scores.get("baselineNormalizeOnly").getScore();
        double xxh3RawText = scores.get("baselineXxh3RawText").getScore();
        System.out.println();
        System.out.println("| benchmark | prompts/s | ± (99.9% CI) | ratio to normalisation only | ratio to XXH3-64 of raw text |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (String name : List.of("candidateDefault", "fingerprintChar3", "fingerprintWord3", "baselineNormalizeOnly", "baselineXxh3RawText")) {
            Result<?> score = scores.get(name);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %.3f | %.4f |%n", name, score.getScore(), score.getScoreError(),
                    score.getScore() / normalizeOnly, score.getScore() / xxh3RawText);
        }
    }
}
