package io.misalignstream.inference.embedded;

import io.misalignstream.contracts.taxonomy.Domain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phrases a template prompt can be about, cut from text without a language model: the topics a domain's name and
 * description list ("such as a, b or c", "as in prompts about ..."), the noun phrases of a request ("my neighbor's
 * dog", "the Statue of Liberty") and the first-person situations it starts with ("I handle payroll at work."). The
 * cuts are heuristic and err on leaving a phrase out; what they still get wrong reads a little odd but stays on the
 * domain's subject.
 */
final class TopicPhrases {

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    /** Where a description starts a list of what the domain covers; group 1 is set for "questions about" after a qualifier. */
    private static final Pattern LIST_MARKER = Pattern.compile(
            "\\s*\\b(?:such as|(?:with |as in )(?:prompts|questions|requests) about|((?:prompts|questions|requests) about)"
                    + "|including|for example|like|based on)\\s+");
    /** Where a list ends and the description goes on to qualify it. */
    private static final Pattern LIST_END = Pattern.compile("\\s(?:where|that|which|who|rather than|instead of|whereas|while)\\s.*");
    /** "a, b or c": the conjunction joins the last two, when the one before it is short enough to be an item. */
    private static final Pattern LAST_CONJUNCTION = Pattern.compile("^((?:\\S+\\s){0,2}\\S+)\\s(?:or|and)\\s(.*)$");
    private static final Pattern UNFIT_TOPIC = Pattern.compile(
            "^(?:how|what|why|whether|it|its|as in|asking|requests?|prompts?|questions?|other|any|an? answer)\\b.*");
    private static final int MAX_TOPIC_WORDS = 6;
    /** A lone adjective, as value names are ("Ambitious"): a topic reads as "being ambitious". */
    private static final Pattern ADJECTIVE = Pattern.compile("[a-z]+(?:ous|ful|able|ible|ient|igent|ential|ive)");
    /** Lists of actions name them as bare verbs ("buy cocaine"); a topic reads as a gerund ("buying cocaine"). */
    private static final Map<String, String> GERUNDS = Map.ofEntries(Map.entry("buy", "buying"), Map.entry("get", "getting"),
            Map.entry("use", "using"), Map.entry("curse", "cursing"), Map.entry("beat", "beating"),
            Map.entry("kidnap", "kidnapping"), Map.entry("torture", "torturing"), Map.entry("murder", "murdering"),
            Map.entry("abuse", "abusing"), Map.entry("write", "writing"), Map.entry("make", "making"),
            Map.entry("cook", "cooking"), Map.entry("steal", "stealing"), Map.entry("hurt", "hurting"));

    private static final Set<String> DETERMINERS = Set.of("my", "the", "a", "an", "our", "his", "her", "their", "your",
            "this", "these", "those");
    /** Words a noun phrase ends cleanly before. */
    private static final Set<String> PHRASE_ENDS = Set.of("in", "on", "at", "from", "for", "with", "without", "into",
            "about", "by", "after", "before", "near", "during", "under", "over", "than", "so", "because", "and", "or",
            "but", "while", "when", "if", "as", "who", "that", "which", "between");
    /** Words that show a run of words is not a noun phrase: pronouns, auxiliaries, common verbs and adverbs. */
    private static final Set<String> NOT_IN_PHRASE = Set.of("to", "is", "are", "was", "were", "be", "do", "does", "did",
            "have", "has", "had", "can", "could", "would", "should", "will", "me", "him", "them", "it", "us", "you", "i",
            "we", "they", "he", "she", "what", "how", "why", "just", "really", "too", "not", "all", "every", "says", "said",
            "wants", "went", "sees", "believe", "broke", "feels", "asks", "hates", "stop", "won't", "don't", "can't",
            "doesn't", "isn't", "enough", "alone", "secret", "down", "tonight", "home", "more", "getting", "never",
            "always", "keeps", "like", "get", "go", "make", "think", "know", "need", "look", "looks", "seems", "of",
            "actually", "now", "late", "still", "again", "already", "also", "even", "ever", "only", "back", "out", "up",
            "off", "away", "here", "there");
    /** Noun phrases too empty to be a subject on their own. */
    private static final Set<String> EMPTY_HEADS = Set.of("way", "ways", "thing", "things", "time", "one", "lot", "bit",
            "idea", "kind", "reason", "point", "day", "difference", "same", "ones", "own", "end");
    private static final int MAX_SUBJECT_WORDS = 4;
    private static final Pattern FIRST_PERSON = Pattern.compile("^(?:I|I'm|I've|I'd|My|We|We're|Our)\\b.*");

    private TopicPhrases() {
    }

    /** The domain's name and the phrases its description lists, in order, each once. */
    static List<String> ofDomain(Domain domain) {
        Set<String> topics = new LinkedHashSet<>();
        for (String part : domain.name().replace("&", "and").split(",\\s*")) {
            addTopic(topics, lowerCaseTitle(part.strip()));
        }
        String[] sentences = SENTENCE_END.split(domain.description());
        for (int i = 0; i < sentences.length; i++) {
            String sentence = sentences[i].replaceAll("[.!?]$", "");
            Matcher marker = LIST_MARKER.matcher(sentence);
            int from = 0;
            // later sentences mostly qualify the first ("It concerns ... rather than ..."): only their lists count
            boolean keep = i == 0;
            while (marker.find()) {
                // before "prompts about" comes a qualifier ("Politically charged"), not a topic
                if (keep && marker.group(1) == null) {
                    listItems(startOf(sentence, from, marker.start())).forEach(item -> addTopic(topics, item));
                }
                from = marker.end();
                keep = true;
            }
            if (keep) {
                listItems(startOf(sentence, from, sentence.length())).forEach(item -> addTopic(topics, item));
            }
        }
        return List.copyOf(topics);
    }

    /** Noun phrases of a request: determiner-led ("my law firm") and capitalised names ("Machu Picchu"), each once. */
    static List<String> subjects(String request) {
        Set<String> subjects = new LinkedHashSet<>();
        for (String sentence : SENTENCE_END.split(request.strip())) {
            String[] tokens = sentence.split("\\s+");
            for (int i = 0; i < tokens.length; i++) {
                String word = bare(tokens[i]).toLowerCase(Locale.ROOT);
                if (DETERMINERS.contains(word)) {
                    determinerPhrase(tokens, i).ifPresent(subjects::add);
                } else if (i > 0 && isName(tokens[i]) && startsName(tokens[i - 1], i - 1)) {
                    String name = namePhrase(tokens, i);
                    if (!name.endsWith("'s")) {
                        subjects.add(name);
                    }
                }
            }
        }
        return List.copyOf(subjects);
    }

    /** Sentences of a request that set the scene in the first person, when the request goes on after them. */
    static List<String> situations(String request) {
        String[] sentences = SENTENCE_END.split(request.strip());
        List<String> situations = new ArrayList<>();
        for (int i = 0; i < sentences.length - 1; i++) {
            String sentence = sentences[i];
            int words = sentence.split("\\s+").length;
            if (FIRST_PERSON.matcher(sentence).matches() && sentence.endsWith(".") && words >= 4 && words <= 16) {
                situations.add(sentence);
            }
        }
        return situations;
    }

    /** Part of a sentence, its first word in lower case when the part starts the sentence. */
    private static String startOf(String sentence, int from, int to) {
        String part = sentence.substring(from, to);
        return from == 0 ? lowerCaseFirst(part) : part;
    }

    /**
     * The items of "a, b or c", up to the first one too long to be an item: from there on the commas belong to a
     * clause ("claims about what is legal, safe or ethical"), not to a list.
     */
    private static List<String> listItems(String segment) {
        String list = LIST_END.matcher(segment.strip()).replaceFirst("").replaceAll(",$|\\s(?:and|or)$", "").strip();
        List<String> items = new ArrayList<>();
        String[] parts = list.split(",\\s*");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].replaceFirst("^(?:or|and)\\s+", "").strip();
            Matcher last = LAST_CONJUNCTION.matcher(part);
            if (i == parts.length - 1 && parts.length > 1 && last.matches()) {
                items.add(last.group(1));
                part = last.group(2);
            }
            if (part.split("\\s+").length > MAX_TOPIC_WORDS) {
                break;
            }
            items.add(part);
        }
        return items.stream().map(TopicPhrases::asGerund).toList();
    }

    private static String asGerund(String item) {
        int space = item.indexOf(' ');
        String first = space < 0 ? item : item.substring(0, space);
        String gerund = GERUNDS.get(first);
        return gerund == null ? item : gerund + item.substring(first.length());
    }

    private static void addTopic(Set<String> topics, String topic) {
        int words = topic.split("\\s+").length;
        if (topic.length() >= 3 && words <= MAX_TOPIC_WORDS && !UNFIT_TOPIC.matcher(topic.toLowerCase(Locale.ROOT)).matches()) {
            topics.add(ADJECTIVE.matcher(topic).matches() ? "being " + topic : topic);
        }
    }

    /**
     * A determiner and the words after it, when they end cleanly: at punctuation, the end of the sentence, a
     * preposition or a conjunction. Any pronoun, auxiliary or common verb on the way means it is not a noun phrase.
     */
    private static Optional<String> determinerPhrase(String[] tokens, int start) {
        List<String> words = new ArrayList<>(List.of(bare(tokens[start]).toLowerCase(Locale.ROOT)));
        for (int i = start + 1; i < tokens.length && !endsPhrase(tokens[i - 1]); i++) {
            String word = bare(tokens[i]);
            String lower = word.toLowerCase(Locale.ROOT);
            if (PHRASE_ENDS.contains(lower)) {
                return phrase(words);
            }
            if (word.isEmpty() || NOT_IN_PHRASE.contains(lower) || DETERMINERS.contains(lower) || words.size() == MAX_SUBJECT_WORDS) {
                return Optional.empty();
            }
            words.add(word);
        }
        return phrase(words);
    }

    /** The determiner and one to three words, not ending in a verb form, a possessive or an empty head. */
    private static Optional<String> phrase(List<String> words) {
        String last = words.get(words.size() - 1).toLowerCase(Locale.ROOT);
        if (words.size() < 2 || EMPTY_HEADS.contains(last) || last.endsWith("ing") || last.endsWith("ed") || last.endsWith("ly")
                || last.endsWith("'s")) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", words));
    }

    /** A run of capitalised words, with one lower-case noun after an adjective of origin ("Italian carbonara"). */
    private static String namePhrase(String[] tokens, int start) {
        List<String> words = new ArrayList<>();
        int i = start;
        while (i < tokens.length && isName(tokens[i]) && words.size() < 3) {
            words.add(bare(tokens[i]));
            if (endsPhrase(tokens[i++])) {
                return String.join(" ", words);
            }
        }
        if (i < tokens.length && words.size() == 1 && words.get(0).matches(".*(?:an|ese|ish|ch|ate)$")) {
            String next = bare(tokens[i]);
            if (!next.isEmpty() && Character.isLowerCase(next.charAt(0)) && !PHRASE_ENDS.contains(next)
                    && !NOT_IN_PHRASE.contains(next)) {
                words.add(next);
            }
        }
        return String.join(" ", words);
    }

    /** Whether a name starting after {@code previous} is the start of its run and not part of a determiner's phrase. */
    private static boolean startsName(String previous, int at) {
        boolean continuesRun = at > 0 && isName(previous) && !endsPhrase(previous);
        return !continuesRun && !DETERMINERS.contains(bare(previous).toLowerCase(Locale.ROOT));
    }

    private static boolean isName(String token) {
        String word = bare(token);
        return word.length() > 1 && Character.isUpperCase(word.charAt(0)) && !word.startsWith("I'")
                && word.chars().skip(1).anyMatch(Character::isLowerCase);
    }

    private static boolean endsPhrase(String token) {
        return token.matches(".*[,.;:!?)\"]$");
    }

    /** The word without surrounding punctuation and quotes; inner apostrophes and hyphens stay. */
    private static String bare(String token) {
        return token.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "");
    }

    /** The first word in lower case, unless it is an acronym ("UNESCO", "TV"). */
    private static String lowerCaseFirst(String text) {
        String stripped = text.strip();
        int end = stripped.indexOf(' ');
        String first = end < 0 ? stripped : stripped.substring(0, end);
        return first.length() > 1 && first.equals(first.toUpperCase(Locale.ROOT)) ? stripped : first.toLowerCase(Locale.ROOT) + stripped.substring(first.length());
    }

    /** "Historical and Archeological Sites" to "historical and archeological sites"; "TV" stays. */
    private static String lowerCaseTitle(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split(" ")) {
            out.append(out.isEmpty() ? "" : " ").append(lowerCaseFirst(word));
        }
        return out.toString();
    }
}
