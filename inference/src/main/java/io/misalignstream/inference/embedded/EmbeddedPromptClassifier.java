package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.DomainProbabilities;
import io.misalignstream.inference.PromptClassifier;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot classifier on the in-process embedding model: the prompt's embedding is compared with every
 * domain's description ({@link DomainPrototypes}), the similarities become calibrated probabilities
 * ({@link DimensionCalibration}), and a dimension is {@code none} when no domain is likely enough. No
 * network, no model server; deterministic for a given model, taxonomy and calibration.
 */
public final class EmbeddedPromptClassifier implements PromptClassifier {

    public static final String BACKEND = "embedded";
    /** Version of the prototype construction; the calibration's version is appended in the provenance. */
    static final String PROTOTYPES_VERSION = "prototypes-v1";

    private final SentenceEmbedder embedder;
    private final DomainPrototypes prototypes;
    private final EmbeddedCalibration calibration;
    private final double delta;
    private final Provenance provenance;

    /**
     * @param embedder the embedding sessions; this classifier closes them
     * @param examples example requests per domain, compared with as the descriptions are
     * @param delta a further domain is labelled when its probability reaches this
     */
    public EmbeddedPromptClassifier(SentenceEmbedder embedder, Taxonomy taxonomy, DomainExamples examples,
                                    EmbeddedCalibration calibration, double delta) {
        this.embedder = embedder;
        this.prototypes = new DomainPrototypes(taxonomy, examples, embedder);
        this.calibration = calibration;
        this.delta = delta;
        this.provenance = new Provenance(BACKEND, embedder.modelName(), PROTOTYPES_VERSION + "+examples-" + examples.version()
                + "+calibration-" + calibration.version());
    }

    /** The shipped model and calibration, with one session per available core. */
    public static EmbeddedPromptClassifier standard(double delta) {
        return new EmbeddedPromptClassifier(new SentenceEmbedder(Runtime.getRuntime().availableProcessors()),
                Taxonomy.standard(), DomainExamples.shipped(), EmbeddedCalibration.shipped(), delta);
    }

    public Provenance provenance() {
        return provenance;
    }

    @Override
    public Labels classify(String text) {
        float[] embedding = embedder.embed(text);
        Map<Dimension, DimensionLabel> labels = new EnumMap<>(Dimension.class);
        for (Dimension dimension : Dimension.values()) {
            labels.put(dimension, label(dimension, prototypes.similarities(dimension, embedding)));
        }
        return new Labels(labels.get(Dimension.SAFETY), labels.get(Dimension.VALUE), labels.get(Dimension.CULTURAL),
                prototypes.nearestSemanticType(embedding), provenance);
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
