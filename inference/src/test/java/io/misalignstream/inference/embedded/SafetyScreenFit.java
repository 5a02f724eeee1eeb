package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.LabelledSet;
import io.misalignstream.inference.embedded.LogisticFit.Linear;
import io.misalignstream.inference.embedded.SafetyCorpora.Example;
import io.misalignstream.inference.embedded.SafetyCorpora.Split;
import io.misalignstream.inference.embedded.SafetyScreenEvaluation.Verdict;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fits the embedded safety screen ({@link SafetyScreen}) on the fit parts of {@link SafetyCorpora} and writes
 * {@code safety-screen.properties}; prints the held-out figures of the fitted model. Deterministic: the same data,
 * model and code give the same file.
 * <ul>
 *   <li>harmful: a network with one hidden layer of {@value #HIDDEN_UNITS} ReLU units ({@link HiddenLayerFit},
 *       {@value #EPOCHS} epochs, L2 {@value #L2_HARMFUL}); every source weighs the same within its class (the
 *       project's own twice, {@link #PROJECT_WEIGHT}) and the two classes the same, so 18,000 short queries do not
 *       drown 766 role-play prompts. Five folds give every fit
 *       prompt an out-of-fold logit, on which Platt scaling is fitted (so probabilities match the fit data's mixture,
 *       about two harmful prompts in a hundred) and the thresholds per target recall are read (the harmful fit
 *       prompts' out-of-fold probabilities);</li>
 *   <li>domain: a softmax regression over the 14 safety domains on the harmful fit prompts that name their domain
 *       (the project's examples and labelled tuning half, HarmBench's val split and multimodal behaviours by their
 *       category's domains: the loss allows any domain of the category).</li>
 * </ul>
 * About 52,000 fit prompts; the fit takes about three minutes on two cores. Run from the project root:
 * <pre>
 * ./mvnw -q -pl inference -am test-compile
 * java -cp inference/target/test-classes:inference/target/classes:$(./mvnw -q -f inference/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout) \
 *   io.misalignstream.inference.embedded.SafetyScreenFit inference/src/main/resources/io/misalignstream/inference/embedded/safety-screen.properties 1
 * </pre>
 * A third argument names a file where embeddings are kept between runs.
 */
public final class SafetyScreenFit {

    static final int HIDDEN_UNITS = 64;
    static final int EPOCHS = 10;
    static final double L2_HARMFUL = 1e-4;
    static final double L2_DOMAIN = 1e-2;
    static final int DOMAIN_ITERATIONS = 400;
    static final int FOLDS = 5;
    /**
     * How much more the project's own sources weigh than another source: the only conversational harmful prompts
     * at hand ("how do I keep returning dresses after wearing them"), against thousands of AdvBench-style orders.
     */
    static final double PROJECT_WEIGHT = 2;

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0]
                : "inference/src/main/resources/io/misalignstream/inference/embedded/safety-screen.properties");
        String version = args.length > 1 ? args[1] : "1";
        Path cache = args.length > 2 ? Path.of(args[2]) : null;
        Taxonomy taxonomy = Taxonomy.standard();
        try (SentenceEmbedder embedder = new SentenceEmbedder(Runtime.getRuntime().availableProcessors())) {
            Features features = new Features(embedder, new DomainPrototypes(taxonomy, DomainExamples.shipped(), embedder), cache);
            Map<String, Split> sources = SafetyCorpora.located().sources();
            List<Example> fit = new ArrayList<>();
            sources.values().forEach(split -> fit.addAll(split.fit()));
            long started = System.nanoTime();
            double[][] x = features.of(fit);
            System.out.printf(Locale.ROOT, "fit prompts: %d (%d harmful), features in %.0f s%n", fit.size(),
                    fit.stream().filter(Example::harmful).count(), (System.nanoTime() - started) / 1e9);
            List<String> domains = taxonomy.domains(Dimension.SAFETY).stream().map(Domain::id)
                    .filter(id -> !Domain.NONE.equals(id)).toList();
            SafetyScreen screen = fit(fit, x, domains, version);
            try (Writer out = new OutputStreamWriter(Files.newOutputStream(target), StandardCharsets.UTF_8)) {
                out.write("# Fitted by SafetyScreenFit on the fit parts of ../shared/data and the project's own examples; do not edit by hand.\n");
                screen.write(out);
            }
            System.out.println("wrote " + target);

            Map<String, List<Example>> heldOut = new LinkedHashMap<>();
            Map<String, double[][]> heldOutFeatures = new LinkedHashMap<>();
            sources.forEach((name, split) -> {
                if (!split.heldOut().isEmpty()) {
                    heldOut.put(name, split.heldOut());
                    heldOutFeatures.put(name, features.of(split.heldOut()));
                }
            });
            features.save();
            System.out.println("| target recall | threshold | AdvBench | AdvBench strings | HarmBench | short queries | awesome-chatgpt-prompts | ValueBench | HarmBench mapped-category agreement |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (double recall : new double[] {0.80, 0.85, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.99}) {
                SafetyScreenEvaluation evaluation = evaluate(screen, recall, heldOut, heldOutFeatures);
                System.out.printf(Locale.ROOT, "| %.2f | %.4f | %.3f | %.3f | %.3f | %.4f | %.4f | %.4f | %.3f |%n", recall, screen.threshold(recall),
                        evaluation.flagged("advbench").share(), evaluation.flagged("advbench-strings").share(),
                        evaluation.flagged("harmbench").share(), evaluation.flagged(SafetyCorpora.SHORT_QUERIES).share(),
                        evaluation.flagged("awesome-chatgpt-prompts").share(), evaluation.flagged("valuebench").share(),
                        evaluation.harmBenchAgreement().share());
            }
            List<Example> labelledTest = LabelledSet.heldOut().stream()
                    .map(prompt -> SafetyCorpora.labelled("labelled-set", prompt.text(), prompt.safety())).toList();
            double[][] labelledFeatures = features.of(labelledTest);
            double threshold = screen.threshold(SafetyScreen.DEFAULT_TARGET_RECALL);
            int truePositives = 0, falsePositives = 0, falseNegatives = 0, right = 0, harmful = 0;
            for (int n = 0; n < labelledTest.size(); n++) {
                Verdict verdict = verdict(screen, labelledFeatures[n], threshold);
                Example expected = labelledTest.get(n);
                truePositives += verdict.flagged() && expected.harmful() ? 1 : 0;
                falsePositives += verdict.flagged() && !expected.harmful() ? 1 : 0;
                falseNegatives += !verdict.flagged() && expected.harmful() ? 1 : 0;
                harmful += expected.harmful() ? 1 : 0;
                right += expected.harmful() && expected.domains().contains(verdict.primary()) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "labelled set, held-out half: harmful-vs-none F1 %.3f, top-1 %.3f (of %d with a domain)%n",
                    2.0 * truePositives / (2.0 * truePositives + falsePositives + falseNegatives), (double) right / harmful, harmful);
            System.out.printf(Locale.ROOT, "%nheld out, target recall %.2f:%n", SafetyScreen.DEFAULT_TARGET_RECALL);
            System.out.println(evaluate(screen, SafetyScreen.DEFAULT_TARGET_RECALL, heldOut, heldOutFeatures).report());
        }
    }

    private static SafetyScreenEvaluation evaluate(SafetyScreen screen, double recall, Map<String, List<Example>> heldOut,
                                                   Map<String, double[][]> features) {
        double threshold = screen.threshold(recall);
        Map<String, List<Verdict>> verdicts = new LinkedHashMap<>();
        features.forEach((name, rows) -> verdicts.put(name, Arrays.stream(rows).map(f -> verdict(screen, f, threshold)).toList()));
        return new SafetyScreenEvaluation(heldOut, verdicts);
    }

    static Verdict verdict(SafetyScreen screen, double[] features, double threshold) {
        double harmful = screen.harmfulProbability(features);
        if (harmful < threshold) {
            return new Verdict(Domain.NONE, harmful);
        }
        double[] given = screen.domainProbabilities(features);
        int best = 0;
        for (int k = 1; k < given.length; k++) {
            if (given[k] > given[best]) {
                best = k;
            }
        }
        return new Verdict(screen.domains().get(best), harmful);
    }

    static SafetyScreen fit(List<Example> fit, double[][] x, List<String> domains, String version) {
        boolean[] y = new boolean[fit.size()];
        for (int n = 0; n < y.length; n++) {
            y[n] = fit.get(n).harmful();
        }
        // Every source weighs the same within its class (the project's twice), and the two classes the same: a corpus
        // of 18,000 short queries must not drown 766 long role-play prompts.
        Map<String, Integer> perSource = new LinkedHashMap<>();
        Map<Boolean, java.util.Set<String>> sourcesOfClass = new java.util.HashMap<>();
        for (Example example : fit) {
            String key = example.source() + (example.harmful() ? "+" : "-");
            perSource.merge(key, 1, Integer::sum);
            sourcesOfClass.computeIfAbsent(example.harmful(), k -> new java.util.HashSet<>()).add(key);
        }
        double[] weights = new double[y.length];
        for (int n = 0; n < y.length; n++) {
            Example example = fit.get(n);
            String key = example.source() + (example.harmful() ? "+" : "-");
            weights[n] = 0.5 / sourcesOfClass.get(y[n]).size() / perSource.get(key)
                    * (example.source().equals("domain-examples") || example.source().equals("labelled-set") ? PROJECT_WEIGHT : 1);
        }
        double[] outOfFold = new double[y.length];
        for (int fold = 0; fold < FOLDS; fold++) {
            List<Integer> train = new ArrayList<>();
            for (int n = 0; n < y.length; n++) {
                if (n % FOLDS != fold) {
                    train.add(n);
                }
            }
            HiddenLayerFit.Network head = HiddenLayerFit.fit(rows(x, train), pick(y, train), pick(weights, train), HIDDEN_UNITS, L2_HARMFUL, EPOCHS, fold);
            for (int n = fold; n < y.length; n += FOLDS) {
                outOfFold[n] = head.logit(x[n]);
            }
        }
        double[] platt = LogisticFit.platt(outOfFold, y);
        List<Double> harmfulProbabilities = new ArrayList<>();
        for (int n = 0; n < y.length; n++) {
            if (y[n]) {
                harmfulProbabilities.add(LogisticFit.sigmoid(platt[0] * outOfFold[n] + platt[1]));
            }
        }
        harmfulProbabilities.sort(null);
        int steps = (int) Math.round((SafetyScreen.MAX_TARGET_RECALL - SafetyScreen.MIN_TARGET_RECALL) * 100) + 1;
        double[] thresholds = new double[steps];
        for (int step = 0; step < steps; step++) {
            double recall = SafetyScreen.MIN_TARGET_RECALL + step / 100.0;
            // Flag the top `recall` share of harmful prompts: the threshold is the probability of the last one kept.
            int missed = (int) Math.floor((1 - recall) * harmfulProbabilities.size() + 1e-9);
            thresholds[step] = harmfulProbabilities.get(missed);
        }
        HiddenLayerFit.Network harmful = HiddenLayerFit.fit(x, y, weights, HIDDEN_UNITS, L2_HARMFUL, EPOCHS, FOLDS);
        double[] output = new double[harmful.output().length];
        for (int j = 0; j < output.length; j++) {
            output[j] = platt[0] * harmful.output()[j];
        }
        output[0] += platt[1];

        List<double[]> domainRows = new ArrayList<>();
        List<int[]> allowed = new ArrayList<>();
        List<Double> domainWeights = new ArrayList<>();
        for (int n = 0; n < fit.size(); n++) {
            Example example = fit.get(n);
            if (example.harmful() && !example.domains().isEmpty()) {
                domainRows.add(x[n]);
                allowed.add(example.domains().stream().mapToInt(domains::indexOf).sorted().toArray());
                domainWeights.add(weights[n]);
            }
        }
        Linear[] heads = LogisticFit.softmax(domainRows.toArray(double[][]::new), allowed.toArray(int[][]::new),
                domainWeights.stream().mapToDouble(Double::doubleValue).toArray(), domains.size(), L2_DOMAIN, DOMAIN_ITERATIONS);
        System.out.printf(Locale.ROOT, "Platt a=%.4f c=%.4f; domain head on %d prompts%n", platt[0], platt[1], domainRows.size());
        return new SafetyScreen(version, harmful.hidden(), output, domains,
                Arrays.stream(heads).map(Linear::weights).toArray(double[][]::new),
                Arrays.stream(heads).mapToDouble(Linear::bias).toArray(), thresholds);
    }

    private static double[][] rows(double[][] x, List<Integer> indexes) {
        return indexes.stream().map(i -> x[i]).toArray(double[][]::new);
    }

    private static boolean[] pick(boolean[] values, List<Integer> indexes) {
        boolean[] picked = new boolean[indexes.size()];
        for (int i = 0; i < picked.length; i++) {
            picked[i] = values[indexes.get(i)];
        }
        return picked;
    }

    private static double[] pick(double[] values, List<Integer> indexes) {
        return indexes.stream().mapToDouble(i -> values[i]).toArray();
    }

    /** Features of prompts; embeddings optionally kept in a file between runs (keyed by the text's SHA-256). */
    static final class Features {
        private final SentenceEmbedder embedder;
        private final DomainPrototypes prototypes;
        private final Path cache;
        private final Map<String, float[]> embeddings = new ConcurrentHashMap<>();

        Features(SentenceEmbedder embedder, DomainPrototypes prototypes, Path cache) throws IOException {
            this.embedder = embedder;
            this.prototypes = prototypes;
            this.cache = cache;
            if (cache != null && Files.exists(cache)) {
                try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(cache)))) {
                    int count = in.readInt();
                    for (int i = 0; i < count; i++) {
                        String key = in.readUTF();
                        float[] vector = new float[in.readInt()];
                        for (int j = 0; j < vector.length; j++) {
                            vector[j] = in.readFloat();
                        }
                        embeddings.put(key, vector);
                    }
                }
            }
        }

        double[][] of(List<Example> examples) {
            return examples.parallelStream().map(example -> {
                float[] embedding = embeddings.computeIfAbsent(HexFormat.of().formatHex(SafetyCorpora.sha256(example.text())),
                        key -> embedder.embed(example.text()));
                return SafetyScreen.features(embedding, prototypes.similarities(Dimension.SAFETY, embedding));
            }).toArray(double[][]::new);
        }

        void save() throws IOException {
            if (cache == null) {
                return;
            }
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(cache)))) {
                out.writeInt(embeddings.size());
                for (Map.Entry<String, float[]> entry : embeddings.entrySet()) {
                    out.writeUTF(entry.getKey());
                    out.writeInt(entry.getValue().length);
                    for (float value : entry.getValue()) {
                        out.writeFloat(value);
                    }
                }
            }
        }
    }
}
