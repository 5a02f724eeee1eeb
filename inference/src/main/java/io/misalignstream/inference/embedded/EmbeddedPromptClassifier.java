package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.DomainProbabilities;
import io.misalignstream.inference.PromptClassifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifier on the in-process embedding model. Safety: the {@link SafetyScreen}, fitted on real prompts, gives
 * the probability that the prompt is harmful and, given that, of each safety domain; the prompt is flagged (its
 * primary safety domain is not {@code none}) when that probability reaches the threshold of the configured target
 * recall, and a domain's probability is P(harmful) x P(domain | harmful). Value and cultural, zero-shot: the
 * prompt's embedding is compared with every domain's description ({@link DomainPrototypes}), the similarities
 * become calibrated probabilities ({@link DimensionCalibration}), and the dimension is {@code none} when no domain
 * is likely enough. No network, no model server; deterministic for a given model, taxonomy, screen and calibration.
 */
public final class EmbeddedPromptClassifier implements PromptClassifier {

    public static final String BACKEND = "embedded";
    /** Version of the prototype construction; the calibration's version is appended in the provenance. */
    static final String PROTOTYPES_VERSION = "prototypes-v1";

    private final SentenceEmbedder embedder;
    private final DomainPrototypes prototypes;
    private final EmbeddedCalibration calibration;
    private final SafetyScreen screen;
    private final double safetyThreshold;
    private final double delta;
    private final Provenance provenance;

    /**
     * @param embedder the embedding sessions; this classifier closes them
     * @param examples example requests per domain, compared with as the descriptions are
     * @param safetyTargetRecall the share of harmful prompts the safety screen should flag (see {@link SafetyScreen#threshold})
     * @param delta a further domain is labelled when its probability reaches this
     */
    public EmbeddedPromptClassifier(SentenceEmbedder embedder, Taxonomy taxonomy, DomainExamples examples,
                                    EmbeddedCalibration calibration, SafetyScreen screen, double safetyTargetRecall,
                                    double delta) {
        this.safetyThreshold = screen.threshold(safetyTargetRecall);
        List<String> taxonomyDomains = taxonomy.domains(Dimension.SAFETY).stream().map(Domain::id)
                .filter(id -> !Domain.NONE.equals(id)).toList();
        if (!Set.copyOf(taxonomyDomains).equals(Set.copyOf(screen.domains()))) {
            throw new IllegalArgumentException("safety screen " + screen.version() + " was fitted for other safety domains than the taxonomy's");
        }
        this.embedder = embedder;
        this.prototypes = new DomainPrototypes(taxonomy, examples, embedder);
        this.calibration = calibration;
        this.screen = screen;
        this.delta = delta;
        this.provenance = new Provenance(BACKEND, embedder.modelName(), PROTOTYPES_VERSION + "+examples-" + examples.version()
                + "+calibration-" + calibration.version() + "+safety-screen-" + screen.version()
                + String.format(Locale.ROOT, "@recall-%.2f", safetyTargetRecall));
    }

    /** The shipped model, screen and calibration at the default target recall, with one session per available core. */
    public static EmbeddedPromptClassifier standard(double delta) {
        return new EmbeddedPromptClassifier(new SentenceEmbedder(Runtime.getRuntime().availableProcessors()),
                Taxonomy.standard(), DomainExamples.shipped(), EmbeddedCalibration.shipped(), SafetyScreen.shipped(),
                SafetyScreen.DEFAULT_TARGET_RECALL, delta);
    }

    public Provenance provenance() {
        return provenance;
    }

    @Override
    public Labels classify(String text) {
        float[] embedding = embedder.embed(text);
        Map<Dimension, DimensionLabel> labels = new EnumMap<>(Dimension.class);
        labels.put(Dimension.SAFETY, safety(embedding).label());
        for (Dimension dimension : EmbeddedCalibration.DIMENSIONS) {
            labels.put(dimension, label(dimension, prototypes.similarities(dimension, embedding)));
        }
        return new Labels(labels.get(Dimension.SAFETY), labels.get(Dimension.VALUE), labels.get(Dimension.CULTURAL),
                prototypes.nearestSemanticType(embedding), provenance);
    }

    /** A prompt's safety label and the screen's probability that it is harmful, which the label alone does not keep. */
    record SafetyAssessment(DimensionLabel label, double harmful) {
    }

    /** The safety label of {@link #classify} with its probability of harm (for measuring the screen). */
    SafetyAssessment assessSafety(String text) {
        return safety(embedder.embed(text));
    }

    private SafetyAssessment safety(float[] embedding) {
        double[] features = SafetyScreen.features(embedding, prototypes.similarities(Dimension.SAFETY, embedding));
        double harmful = screen.harmfulProbability(features);
        double[] given = screen.domainProbabilities(features);
        List<DomainScore> scores = new ArrayList<>(given.length);
        for (int k = 0; k < given.length; k++) {
            scores.add(new DomainScore(screen.domains().get(k), harmful * given[k]));
        }
        return new SafetyAssessment(DomainProbabilities.label(scores, harmful < safetyThreshold, 1 - harmful, delta), harmful);
    }

    /**
     * The safety domain the screen finds most probable for the text, whatever its probability of being harmful:
     * what a prompt labelled {@code none} is judged on where a domain is needed. Its probability is that of the
     * domain, P(harmful) x P(domain | harmful).
     */
    public DimensionLabel likeliestSafetyDomain(String text) {
        float[] embedding = embedder.embed(text);
        double[] features = SafetyScreen.features(embedding, prototypes.similarities(Dimension.SAFETY, embedding));
        double[] given = screen.domainProbabilities(features);
        int best = 0;
        for (int k = 1; k < given.length; k++) {
            if (given[k] > given[best]) {
                best = k;
            }
        }
        return new DimensionLabel(screen.domains().get(best), screen.harmfulProbability(features) * given[best], List.of());
    }

    private DimensionLabel label(Dimension dimension, double[] similarities) {
        DimensionCalibration calibrated = calibration.of(dimension);
        List<String> ids = prototypes.domainIds(dimension);
        List<DomainScore> scores = new ArrayList<>(ids.size() - 1);
        double best = 0;
        // index 0 is none
        for (int i = 1; i < ids.size(); i++) {
            double probability = calibrated.probability(similarities[i], similarities[0]);
            scores.add(new DomainScore(ids.get(i), probability));
            best = Math.max(best, probability);
        }
        return DomainProbabilities.label(scores, best < calibrated.noneThreshold(), 1 - best, delta);
    }

    /** Raw similarities of a text to every domain of every dimension, taxonomy order, {@code none} first: what calibration fits on. */
    public Map<Dimension, double[]> similarities(String text) {
        float[] embedding = embedder.embed(text);
        Map<Dimension, double[]> similarities = new EnumMap<>(Dimension.class);
        for (Dimension dimension : Dimension.values()) {
            similarities.put(dimension, prototypes.similarities(dimension, embedding));
        }
        return similarities;
    }

    public List<String> domainIds(Dimension dimension) {
        return prototypes.domainIds(dimension);
    }

    @Override
    public int parallelism() {
        return embedder.sessions();
    }

    @Override
    public void close() {
        embedder.close();
    }
}
