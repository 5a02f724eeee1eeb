package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.SemanticType;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.SemanticTypeDescription;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The embeddings a prompt is compared with: for every domain (and {@code none}) of every dimension, its
 * name with its whole description, each sentence of the description on its own, and the example requests of
 * {@link DomainExamples}; the same for the semantic types. A prompt is as close to a domain as to the
 * nearest of these.
 */
final class DomainPrototypes {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

    /** Per dimension: the domains in taxonomy order, {@code none} first, with their prototype embeddings. */
    private final Map<Dimension, List<Prototype>> domains = new EnumMap<>(Dimension.class);
    private final List<Prototype> semanticTypes = new ArrayList<>();

    record Prototype(String id, List<float[]> embeddings) {

        double similarity(float[] embedding) {
            double best = -1;
            for (float[] prototype : embeddings) {
                best = Math.max(best, cosine(prototype, embedding));
            }
            return best;
        }
    }

    DomainPrototypes(Taxonomy taxonomy, DomainExamples examples, SentenceEmbedder embedder) {
        for (Dimension dimension : Dimension.values()) {
            List<Prototype> prototypes = new ArrayList<>();
            for (Domain domain : taxonomy.domains(dimension)) {
                List<String> texts = texts(domain.name(), domain.description());
                texts.addAll(examples.of(dimension, domain.id()));
                prototypes.add(new Prototype(domain.id(), embedAll(embedder, texts)));
            }
            domains.put(dimension, List.copyOf(prototypes));
        }
        for (SemanticTypeDescription type : taxonomy.semanticTypes()) {
            List<String> texts = texts(type.name(), type.description());
            texts.addAll(examples.of(type.type()));
            semanticTypes.add(new Prototype(type.type().json(), embedAll(embedder, texts)));
        }
    }

    private static List<String> texts(String name, String description) {
        List<String> texts = new ArrayList<>();
        texts.add(name + ": " + description);
        String[] sentences = SENTENCE_END.split(description.strip());
        if (sentences.length > 1) {
            texts.addAll(List.of(sentences));
        }
        return texts;
    }

    private static List<float[]> embedAll(SentenceEmbedder embedder, List<String> texts) {
        return texts.parallelStream().map(embedder::embed).toList();
    }

    /** Similarity of the embedding to every domain of the dimension, in taxonomy order ({@code none} first). */
    double[] similarities(Dimension dimension, float[] embedding) {
        List<Prototype> prototypes = domains.get(dimension);
        double[] similarities = new double[prototypes.size()];
        for (int i = 0; i < similarities.length; i++) {
            similarities[i] = prototypes.get(i).similarity(embedding);
        }
        return similarities;
    }

    List<String> domainIds(Dimension dimension) {
        return domains.get(dimension).stream().map(Prototype::id).toList();
    }

    SemanticType nearestSemanticType(float[] embedding) {
        Prototype nearest = semanticTypes.get(0);
        double best = Double.NEGATIVE_INFINITY;
        for (Prototype type : semanticTypes) {
            double similarity = type.similarity(embedding);
            if (similarity > best) {
                best = similarity;
                nearest = type;
            }
        }
        return SemanticType.fromJson(nearest.id());
    }

    private static double cosine(float[] a, float[] b) {
        // Both unit length: the dot product is the cosine.
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
