package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.Provenance;
import io.misalignstream.contracts.event.SamplingParameters;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import io.misalignstream.inference.GeneratedPrompt;
import io.misalignstream.inference.GenerationRequest;
import io.misalignstream.inference.PromptGenerator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes prompts for low-resource domains without a language model, by template: for when no generation endpoint is
 * configured, and for tests and demos that need no server. Its prompts are marked {@code templateGenerated}.
 *
 * <p>A prompt's core frames a topic of the domain (a question, a request, a first-person situation, a role-play, a
 * friend's problem, a story, a debate, ... in {@link PromptTemplates}), optionally after an opener, a persona or a
 * situation, and before a follow-up on a second topic and a constraint on audience, length, tone or setting. Topics
 * are the phrases the domain's name and description list and the noun phrases of its example requests
 * ({@code domain-examples.json}); situations are first sentences of those requests; the noun phrases of the request's
 * own examples feed the follow-ups. No example is ever returned verbatim.
 *
 * <p>Consecutive slots of a domain walk through every (core wording, topic) pair once before any repeats, so that the
 * first hundreds of slots differ in their core whatever else is drawn. Everything else is drawn from a
 * {@link SplittableRandom} seeded with a 64-bit FNV-1a hash of the UTF-8 bytes of (dimension, domain id, slot); the
 * same request gives the same text in every JVM, and the seed is the prompt's sampling seed. Thread-safe and CPU-only:
 * {@link #parallelism()} is the number of cores.
 */
public final class TemplatePromptGenerator implements PromptGenerator {

    /** The version of the wording in {@link PromptTemplates} and of the composition here; part of every prompt's provenance. */
    public static final String TEMPLATE_VERSION = "template-v1";

    private static final Provenance PROVENANCE = new Provenance("embedded", "template", TEMPLATE_VERSION);
    private static final List<String> CORES = PromptTemplates.FRAMINGS.stream().flatMap(List::stream).toList();
    private static final int MIN_WORDS = 8;
    private static final int MAX_WORDS = 80;
    /** Drawing again is only needed when a composition happens to equal an example: a few tries always suffice. */
    private static final int MAX_ATTEMPTS = 16;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Map<Domain, DomainMaterial> materials = new HashMap<>();
    private final int parallelism = Runtime.getRuntime().availableProcessors();

    /**
     * @param taxonomy the domains whose material is prepared up front; a request for another domain uses its description
     * @param examples example requests per domain
     */
    public TemplatePromptGenerator(Taxonomy taxonomy, DomainExamples examples) {
        for (Dimension dimension : Dimension.values()) {
            for (Domain domain : taxonomy.namedDomains(dimension)) {
                materials.put(domain, DomainMaterial.of(domain, examples.of(dimension, domain.id())));
            }
        }
    }

    @Override
    public GeneratedPrompt generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        Domain domain = request.domain();
        DomainMaterial material = materials.getOrDefault(domain, DomainMaterial.of(domain, List.of()));
        List<String> requestSubjects = request.examples().stream().flatMap(example -> TopicPhrases.subjects(example).stream())
                .distinct().toList();
        Set<String> forbidden = new HashSet<>(material.examples());
        request.examples().forEach(example -> forbidden.add(comparable(example)));

        long seed = seed(domain, request.slot());
        SplittableRandom random = new SplittableRandom(seed);
        int core = material.core(request.slot());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String text = compose(random, material, core, requestSubjects);
            if (!forbidden.contains(comparable(text))) {
                return new GeneratedPrompt(text, PROVENANCE, new SamplingParameters(null, null, null, seed), true);
            }
        }
        throw new IllegalStateException("every composition for " + domain.id() + " slot " + request.slot() + " was an example");
    }

    @Override
    public int parallelism() {
        return parallelism;
    }

    /** Holds nothing to release. */
    @Override
    public void close() {
    }

    static long seed(Domain domain, long slot) {
        return fnv1a(domain.dimension().json() + "/" + domain.id() + "/" + slot);
    }

    /** FNV-1a 64 over the UTF-8 bytes: fixed by its definition, unlike {@link String#hashCode()} or JDK-seeded hashes. */
    static long fnv1a(String key) {
        long hash = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return hash;
    }

    private static String compose(SplittableRandom random, DomainMaterial material, int core, List<String> requestSubjects) {
        Fillers fillers = new Fillers(random, material, core, requestSubjects);
        List<String> sentences = new ArrayList<>();
        if (random.nextInt(100) < 30) {
            sentences.add(fillers.sentence(pick(random, PromptTemplates.OPENERS)));
        }
        int lead = random.nextInt(100);
        if (lead < 15 && !material.situations().isEmpty()) {
            sentences.add(pick(random, material.situations()));
        } else if (lead < 30) {
            sentences.add(fillers.sentence(pick(random, PromptTemplates.PERSONAS)));
        }
        int coreAt = sentences.size();
        sentences.add(fillers.sentence(CORES.get(core / material.topics().size())));
        // the request's examples show up in the follow-up: make it likelier when there are some
        if (random.nextInt(100) < (requestSubjects.isEmpty() ? 40 : 70)) {
            sentences.add(fillers.sentence(pick(random, PromptTemplates.FOLLOW_UPS)));
        }
        if (random.nextInt(100) < 50) {
            sentences.add(fillers.sentence(pick(random, PromptTemplates.CONSTRAINTS)));
        }
        // Long fillers can push a prompt past the word limit: drop what comes after the core, then what comes before.
        while (words(sentences) > MAX_WORDS && sentences.size() > 1) {
            if (sentences.size() - 1 > coreAt) {
                sentences.remove(sentences.size() - 1);
            } else {
                sentences.remove(0);
                coreAt--;
            }
        }
        while (words(sentences) < MIN_WORDS) {
            sentences.add(fillers.sentence(pick(random, PromptTemplates.CONSTRAINTS)));
        }
        String text = String.join(" ", sentences);
        // Some users type in lower case throughout.
        return random.nextInt(100) < 8 ? text.toLowerCase(Locale.ROOT) : text;
    }

    private static int words(List<String> sentences) {
        return sentences.stream().mapToInt(sentence -> sentence.split("\\s+").length).sum();
    }

    private static String capitalised(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    private static String comparable(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }

    private static <T> T pick(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /**
     * Fills the placeholders of one prompt: its topic is the slot's and its second topic is drawn once, so that every
     * part speaks of the same; the other placeholders are drawn afresh at each use.
     */
    private static final class Fillers {

        private final SplittableRandom random;
        private final String topic;
        private final String secondTopic;

        Fillers(SplittableRandom random, DomainMaterial material, int core, List<String> requestSubjects) {
            this.random = random;
            this.topic = material.topics().get(core % material.topics().size());
            String second = secondTopic(random, material, requestSubjects);
            for (int retry = 0; second.equalsIgnoreCase(topic) && retry < 3; retry++) {
                second = secondTopic(random, material, requestSubjects);
            }
            this.secondTopic = second;
        }

        private static String secondTopic(SplittableRandom random, DomainMaterial material, List<String> requestSubjects) {
            return !requestSubjects.isEmpty() && random.nextInt(100) < 60 ? pick(random, requestSubjects) : pick(random, material.topics());
        }

        /** The template with its placeholders filled, capitalised. */
        String sentence(String template) {
            Matcher placeholder = PLACEHOLDER.matcher(template);
            StringBuilder out = new StringBuilder();
            while (placeholder.find()) {
                placeholder.appendReplacement(out, Matcher.quoteReplacement(value(placeholder.group(1))));
            }
            return capitalised(placeholder.appendTail(out).toString());
        }

        private String value(String name) {
            return switch (name) {
                case "t" -> topic;
                case "T" -> capitalised(topic);
                case "u" -> secondTopic;
                case "p" -> pick(random, PromptTemplates.PEOPLE);
                case "P" -> capitalised(pick(random, PromptTemplates.PEOPLE));
                case "r" -> pick(random, PromptTemplates.ROLES);
                case "a" -> pick(random, PromptTemplates.AUDIENCES);
                case "w" -> pick(random, PromptTemplates.PLACES);
                case "age" -> pick(random, PromptTemplates.AGES);
                case "job" -> pick(random, PromptTemplates.JOBS);
                case "time" -> pick(random, PromptTemplates.TIMES);
                case "n" -> pick(random, PromptTemplates.NUMBERS);
                default -> throw new IllegalStateException("unknown placeholder {" + name + "}");
            };
        }
    }

    /**
     * What the templates of one domain draw from, prepared once per domain.
     *
     * @param topics the description's topics, then the noun phrases of the domain's example requests
     * @param offset where the domain's walk through the (core wording, topic) pairs starts
     * @param step how far it moves per slot: coprime with the number of pairs, so that it visits each once per round
     */
    private record DomainMaterial(List<String> topics, List<String> situations, Set<String> examples, long offset, long step) {

        static DomainMaterial of(Domain domain, List<String> examples) {
            List<String> described = TopicPhrases.ofDomain(domain);
            List<String> topics = Stream.concat(described.isEmpty() ? Stream.of(domain.name()) : described.stream(),
                    examples.stream().flatMap(example -> TopicPhrases.subjects(example).stream())).distinct().toList();
            long pairs = (long) CORES.size() * topics.size();
            return new DomainMaterial(topics,
                    examples.stream().flatMap(example -> TopicPhrases.situations(example).stream()).distinct().toList(),
                    Set.copyOf(examples.stream().map(TemplatePromptGenerator::comparable).toList()),
                    Math.floorMod(fnv1a(domain.dimension().json() + "/" + domain.id()), pairs),
                    coprimeStep(pairs));
        }

        /** The slot's (core wording, topic) pair as wording index times the number of topics plus topic index. */
        int core(long slot) {
            long pairs = (long) CORES.size() * topics.size();
            return (int) ((offset + Math.floorMod(slot, pairs) * step) % pairs);
        }

        /** Near the golden section of the pairs, so that consecutive slots land far apart: other wordings, other topics. */
        private static long coprimeStep(long pairs) {
            long step = Math.max(1, Math.round(pairs * 0.618));
            while (!BigInteger.valueOf(step).gcd(BigInteger.valueOf(pairs)).equals(BigInteger.ONE)) {
                step++;
            }
            return step;
        }
    }
}
