package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.inference.GeneratedResponse;
import io.misalignstream.inference.LabelledDomains;
import io.misalignstream.inference.ResponseGenerator;
import io.misalignstream.inference.ResponseRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Writes both polarities of a response without a language model, by template: for the default run without a
 * generation endpoint, and for tests and demos that need no server. Its provenance ({@code embedded / template /
 * respond-template-v1}) marks every text as template-made.
 *
 * <p>A response speaks to the prompt's labelled domains ({@link LabelledDomains}), never to the prompt's words: the
 * prompt only seeds the draw, so nothing harmful it asks for is echoed. The first labelled domain carries the
 * response: an aligned one declines or redirects what would break its norm, naming it, then offers safe, respectful
 * help with a topic of the domain's description; a misaligned one agrees, dismisses the norm or stereotypes, without a
 * step, a quantity, code or a real name (see {@link ResponseTemplates}). An aligned response also names up to two
 * further domains' norms; after feedback (a second attempt) either polarity states its stance on every labelled norm.
 * A prompt labelled with no domain gets a plain helpful or a dismissive answer.
 *
 * <p>The wording is drawn from a {@link SplittableRandom} seeded with the FNV-1a hash of (prompt, polarity,
 * candidate, number of feedback items), so candidates differ and the same request gives the same text in every JVM;
 * the seed is the response's sampling seed. Thread-safe and CPU-only.
 */
public final class TemplateResponseGenerator implements ResponseGenerator {

    /** The version of the wording in {@link ResponseTemplates} and of the composition here; part of every provenance. */
    public static final String TEMPLATE_VERSION = "respond-template-v1";

    static final String MODEL = "template";
    private static final Provenance PROVENANCE = new Provenance(EmbeddedPromptClassifier.BACKEND, MODEL, TEMPLATE_VERSION);
    private static final int MAX_FURTHER_NORMS = 2;

    private final int parallelism = Runtime.getRuntime().availableProcessors();

    @Override
    public GeneratedResponse generate(ResponseRequest request) {
        Objects.requireNonNull(request, "request");
        long seed = seed(request);
        SplittableRandom random = new SplittableRandom(seed);
        List<Domain> norms = LabelledDomains.of(request.labels());
        boolean aligned = request.polarity() == Polarity.ALIGNED;
        String text = norms.isEmpty()
                ? pick(random, aligned ? ResponseTemplates.ALIGNED_UNLABELLED : ResponseTemplates.MISALIGNED_UNLABELLED)
                : compose(random, norms, aligned, !request.feedback().isEmpty());
        return new GeneratedResponse(text, PROVENANCE, new SamplingParameters(null, null, null, seed));
    }

    static long seed(ResponseRequest request) {
        return TemplatePromptGenerator.fnv1a(request.prompt() + "\u0000" + request.polarity().json() + "\u0000"
                + request.candidate() + "\u0000" + request.feedback().size());
    }

    private static String compose(SplittableRandom random, List<Domain> norms, boolean aligned, boolean feedback) {
        Domain carrying = norms.get(0);
        Dimension dimension = carrying.dimension();
        List<String> sentences = new ArrayList<>();
        sentences.add(pick(random, aligned ? ResponseTemplates.ALIGNED_OPENERS : ResponseTemplates.MISALIGNED_OPENERS));
        sentences.add(fill(pick(random, (aligned ? ResponseTemplates.ALIGNED_CORES : ResponseTemplates.MISALIGNED_CORES)
                .get(dimension)), carrying, random, norms));
        Map<Dimension, List<String>> second = aligned ? ResponseTemplates.ALIGNED_HELP : ResponseTemplates.MISALIGNED_FOLLOW_UPS;
        sentences.add(fill(pick(random, second.get(dimension)), carrying, random, norms));
        if (aligned) {
            for (Domain further : norms.subList(1, Math.min(norms.size(), 1 + MAX_FURTHER_NORMS))) {
                sentences.add(fill(pick(random, ResponseTemplates.ALIGNED_FURTHER), further, random, norms));
            }
        }
        if (feedback) {
            sentences.add(fill(pick(random, aligned ? ResponseTemplates.ALIGNED_FEEDBACK : ResponseTemplates.MISALIGNED_FEEDBACK),
                    carrying, random, norms));
        }
        sentences.add(pick(random, aligned ? ResponseTemplates.ALIGNED_CLOSERS : ResponseTemplates.MISALIGNED_CLOSERS));
        return sentences.stream().filter(sentence -> !sentence.isEmpty()).collect(Collectors.joining(" "));
    }

    private static String fill(String template, Domain domain, SplittableRandom random, List<Domain> norms) {
        String norm = norm(domain);
        String text = template.replace("{N}", capitalised(norm)).replace("{n}", norm)
                .replace("{all}", norms.stream().map(TemplateResponseGenerator::norm).distinct().collect(Collectors.joining(", ")));
        if (text.contains("{t}")) {
            List<String> topics = TopicPhrases.ofDomain(domain);
            text = text.replace("{t}", topics.isEmpty() ? norm : pick(random, topics));
        }
        return text;
    }

    /** The domain's name as a phrase: "Animal abuse" to "animal abuse", "Ambitious" to "being ambitious". */
    private static String norm(Domain domain) {
        List<String> topics = TopicPhrases.ofDomain(domain);
        return topics.isEmpty() ? domain.name().toLowerCase(Locale.ROOT) : topics.get(0);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static <T> T pick(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String model() {
        return MODEL;
    }

    /** Holds nothing to release. */
    @Override
    public void close() {
    }
}
