package io.misalignstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.MetricEvent;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.RejectedPair;
import io.misalignstream.contracts.event.UniquePrompt;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps docs/events.md and the contracts in step: every example decodes, every topic and field is documented. */
class EventsDocumentationTest {

    private static final String DLQ = "dlq";
    private static final String DLQ_HEADING = "Dead-letter topics (`<topic>.dlq`)";
    /** The non-topic sections of the page, in order before the first topic. */
    private static final List<String> OTHER_HEADINGS = List.of("Conventions", "Size limits", "Shared objects");
    private static final List<String> SHARED_OBJECTS = List.of("Prompt", "Lineage", "Source", "Generation", "Provenance",
            "SamplingParameters", "Labels", "DimensionLabel", "DomainScore", "Fingerprint", "PairResponse",
            "JudgeVerdict", "PolarityRejection");

    private static final Map<String, Class<?>> RECORDS = new LinkedHashMap<>();

    static {
        RECORDS.put(Topics.PROMPTS_INGESTED, IngestedPrompt.class);
        RECORDS.put(Topics.PROMPTS_CLASSIFIED, ClassifiedPrompt.class);
        RECORDS.put(Topics.PROMPTS_CANDIDATES, CandidatePrompt.class);
        RECORDS.put(Topics.PROMPTS_UNIQUE, UniquePrompt.class);
        RECORDS.put(Topics.PROMPTS_DUPLICATES, DuplicatePrompt.class);
        RECORDS.put(Topics.PAIRS_ACCEPTED, AcceptedPair.class);
        RECORDS.put(Topics.PAIRS_REJECTED, RejectedPair.class);
        RECORDS.put(Topics.METRICS_EVENTS, MetricEvent.class);
        RECORDS.put(DLQ, DeadLetter.class);
    }

    private static final Pattern FENCE = Pattern.compile("^```(.*)$");
    private static final Pattern EXAMPLE_INFO = Pattern.compile("json topic=(\\S+)");
    private static final Pattern TABLE_FIELD = Pattern.compile("^\\| `([A-Za-z0-9_]+)` \\|");
    private static final Pattern TOPIC_HEADING = Pattern.compile("`([^`]+)`");
    private static final Pattern JAVA_RECORD = Pattern.compile("\\*\\*Java record:\\*\\* `([A-Za-z0-9_.]+)`");

    private static List<String> lines;
    private static List<Example> examples;
    private static List<Section> sections;

    record Example(String topic, String json, int line) {
    }

    /** A {@code ## } section (level 2) or {@code ### } subsection (level 3) and its lines, fenced blocks excluded. */
    record Section(int level, String heading, List<String> body, List<Example> examples) {
    }

    @BeforeAll
    static void read() throws IOException {
        Path doc = locate();
        lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        examples = new ArrayList<>();
        sections = new ArrayList<>();
        Section current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String info = fence.group(1).trim();
                int start = i;
                StringBuilder block = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    block.append(lines.get(i)).append('\n');
                }
                assertThat(i).as("fence opened on line %d is closed", start + 1).isLessThan(lines.size());
                if (info.startsWith("json topic=")) {
                    Matcher topic = EXAMPLE_INFO.matcher(info);
                    assertThat(topic.matches()).as("info string '%s' on line %d", info, start + 1).isTrue();
                    Example example = new Example(topic.group(1), block.toString(), start + 1);
                    examples.add(example);
                    if (current != null) {
                        current.examples().add(example);
                    }
                }
                continue;
            }
            if (line.startsWith("## ") || line.startsWith("### ")) {
                int level = line.startsWith("### ") ? 3 : 2;
                current = new Section(level, line.substring(level + 1).trim(), new ArrayList<>(), new ArrayList<>());
                sections.add(current);
            } else if (current != null) {
                current.body().add(line);
            }
        }
    }

    /** Maven runs the tests in the module folder; an IDE may run them in the repository root. */
    private static Path locate() {
        for (Path candidate : List.of(Path.of("..", "docs", "events.md"), Path.of("docs", "events.md"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        Path dir = Path.of("").toAbsolutePath();
        for (; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("events.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return fail("docs/events.md not found from " + Path.of("").toAbsolutePath());
    }

    private static List<Section> topLevel() {
        return sections.stream().filter(section -> section.level() == 2).toList();
    }

    private static String topicOf(Section section) {
        if (section.heading().equals(DLQ_HEADING)) {
            return DLQ;
        }
        Matcher topic = TOPIC_HEADING.matcher(section.heading());
        return section.heading().startsWith("`") && topic.find() ? topic.group(1) : null;
    }

    private static List<String> tableFields(Section section) {
        List<String> fields = new ArrayList<>();
        for (String line : section.body()) {
            Matcher field = TABLE_FIELD.matcher(line);
            if (field.find()) {
                fields.add(field.group(1));
            }
        }
        return fields;
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    @Test
    void everyExampleDecodesAndSurvivesARoundTrip() {
        assertThat(examples).isNotEmpty();
        for (Example example : examples) {
            Class<?> type = RECORDS.get(example.topic());
            assertThat(type).as("example on line %d names a known topic: %s", example.line(), example.topic()).isNotNull();
            Object decoded;
            try {
                decoded = EventCodec.decode(example.json(), type);
            } catch (RuntimeException e) {
                throw new AssertionError("example of " + example.topic() + " on line " + example.line()
                        + " does not decode: " + e.getMessage(), e);
            }
            assertThat(decoded).isInstanceOf(type);
            Object again = EventCodec.decode(EventCodec.encode(decoded), type);
            assertThat(again).as("round trip of the %s example", example.topic()).isEqualTo(decoded);
        }
    }

    @Test
    void everyExampleIsCompleteAndWrittenAsTheCodecWritesIt() throws IOException {
        ObjectMapper plain = new ObjectMapper();
        for (Example example : examples) {
            Object decoded = EventCodec.decode(example.json(), RECORDS.get(example.topic()));
            JsonNode written = plain.readTree(EventCodec.encode(decoded));
            JsonNode documented = plain.readTree(example.json());
            assertThat(documented).as("the %s example on line %d lists every field the codec writes, with the same values",
                    example.topic(), example.line()).isEqualTo(written);
        }
    }

    @Test
    void everyPipelineTopicHasExactlyOneExampleAndTheDeadLettersHaveOne() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        examples.forEach(example -> counts.merge(example.topic(), 1, Integer::sum));
        for (String topic : Topics.PIPELINE) {
            assertThat(counts.get(topic)).as("examples of %s", topic).isEqualTo(1);
        }
        assertThat(counts.get(DLQ)).as("examples of dead letters").isEqualTo(1);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(RECORDS.keySet());
    }

    @Test
    void topicHeadingsAreThePipelineTopicsInFlowOrderThenTheDeadLetters() {
        List<String> headings = topLevel().stream().map(Section::heading).toList();
        List<String> topicHeadings = new ArrayList<>();
        for (String heading : headings) {
            if (OTHER_HEADINGS.contains(heading)) {
                continue;
            }
            Section section = topLevel().get(headings.indexOf(heading));
            String topic = topicOf(section);
            assertThat(topic).as("heading '## %s' names a topic or is one of %s", heading, OTHER_HEADINGS).isNotNull();
            if (!topic.equals(DLQ)) {
                assertThat(heading).as("topic heading").isEqualTo("`" + topic + "`");
                assertThat(Topics.PIPELINE).as("heading '## %s' names a pipeline topic", heading).contains(topic);
            }
            topicHeadings.add(topic);
        }
        List<String> expected = new ArrayList<>(Topics.PIPELINE);
        expected.add(DLQ);
        assertThat(topicHeadings).containsExactlyElementsOf(expected);
        assertThat(headings.subList(0, OTHER_HEADINGS.size())).containsExactlyElementsOf(OTHER_HEADINGS);
    }

    @Test
    void eachTopicSectionNamesItsRecordListsItsFieldsAndHoldsItsExample() {
        for (Section section : topLevel()) {
            String topic = topicOf(section);
            if (topic == null) {
                continue;
            }
            Class<?> type = RECORDS.get(topic);
            List<String> bullets = section.body().stream().filter(line -> line.startsWith("- ")).toList();
            assertThat(bullets).as("the bullet of %s", topic).hasSize(1);
            String bullet = bullets.get(0);
            assertThat(bullet).as("bullet of %s", topic)
                    .startsWith("- **Producer:** ").contains("**Consumers:** ", "**Key:** ");
            Matcher record = JAVA_RECORD.matcher(bullet);
            assertThat(record.find()).as("%s names its Java record", topic).isTrue();
            assertThat(record.group(1)).as("Java record of %s", topic).isEqualTo(type.getName());
            assertThat(tableFields(section)).as("field table of %s", topic).containsExactlyElementsOf(components(type));
            assertThat(section.examples()).as("examples in the section of %s", topic).hasSize(1);
            assertThat(section.examples().get(0).topic()).isEqualTo(topic);
        }
    }

    @Test
    void sharedObjectsAreDescribedOnceWithEveryField() throws ClassNotFoundException {
        int shared = sections.indexOf(topLevel().stream()
                .filter(section -> section.heading().equals("Shared objects")).findFirst().orElseThrow());
        List<Section> objects = new ArrayList<>();
        for (int i = shared + 1; i < sections.size() && sections.get(i).level() == 3; i++) {
            objects.add(sections.get(i));
        }
        assertThat(objects.stream().map(Section::heading))
                .containsExactlyElementsOf(SHARED_OBJECTS.stream().map(name -> "`" + name + "`").toList());
        for (Section object : objects) {
            String name = object.heading().replace("`", "");
            Class<?> type = Class.forName("io.misalignstream.contracts.event." + name);
            assertThat(tableFields(object)).as("field table of %s", name).containsExactlyElementsOf(components(type));
        }
        assertThat(sections.stream().filter(section -> section.level() == 3).count())
                .as("level-3 headings are only the shared objects").isEqualTo(SHARED_OBJECTS.size());
    }

    @Test
    void sizeLimitTableListsEveryLimitWithItsValue() throws IllegalAccessException {
        Section limits = topLevel().stream().filter(section -> section.heading().equals("Size limits")).findFirst().orElseThrow();
        Map<String, Long> documented = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `(MAX_[A-Z_]+)` \\| ([0-9,]+) \\|");
        for (String line : limits.body()) {
            Matcher matcher = row.matcher(line);
            if (matcher.find()) {
                documented.put(matcher.group(1), Long.parseLong(matcher.group(2).replace(",", "")));
            }
        }
        Map<String, Long> actual = new LinkedHashMap<>();
        for (Field field : EventLimits.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().startsWith("MAX_")) {
                actual.put(field.getName(), ((Number) field.get(null)).longValue());
            }
        }
        assertThat(actual).hasSizeGreaterThanOrEqualTo(11);
        assertThat(documented).isEqualTo(actual);
    }

    @Test
    void candidatesExampleIsSyntheticWithItsGenerationAndParents() {
        Example example = examples.stream().filter(e -> e.topic().equals(Topics.PROMPTS_CANDIDATES)).findFirst().orElseThrow();
        CandidatePrompt candidate = EventCodec.decode(example.json(), CandidatePrompt.class);
        assertThat(candidate.prompt().lineage().origin()).isEqualTo(Origin.SYNTHETIC);
        assertThat(candidate.prompt().lineage().generation()).isNotNull();
        assertThat(candidate.prompt().lineage().parentIds()).isNotEmpty();
    }

    @Test
    void introStatesTheCurrentSchemaVersion() {
        String intro = String.join("\n", lines.subList(0, lines.indexOf("## Size limits")));
        assertThat(intro).contains("the current version is `" + EventLimits.SCHEMA_VERSION + "`");
        for (Example example : examples) {
            assertThat(example.json()).contains("\"schemaVersion\": " + EventLimits.SCHEMA_VERSION + ",");
        }
    }
}
