package io.misalignstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.DeadLetter;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.EncodableText;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.IngestedPrompt;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.MetricEvent;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.RejectedPair;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.contracts.event.UniquePrompt;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Object> everyRecordType() {
        return Stream.of(SampleEvents.ingested(), SampleEvents.classified(), SampleEvents.candidate(),
                SampleEvents.unique(), SampleEvents.duplicate(), SampleEvents.accepted(), SampleEvents.rejected(),
                SampleEvents.metric(), SampleEvents.deadLetter());
    }

    // ---- round trips ---------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void everyRecordTypeSurvivesARoundTrip(Object record) {
        byte[] encoded = EventCodec.encode(record);
        Object decoded = EventCodec.decode(encoded, record.getClass());
        assertThat(decoded).isEqualTo(record);
        assertThat(EventCodec.encodeToString(decoded)).isEqualTo(new String(encoded, StandardCharsets.UTF_8));
    }

    @Test
    void writesEnumsInLowerCaseAndInstantsAsIsoStrings() throws IOException {
        JsonNode candidate = JSON.readTree(EventCodec.encode(SampleEvents.candidate()));
        assertThat(candidate.at("/prompt/lineage/origin").asText()).isEqualTo("synthetic");
        assertThat(candidate.at("/prompt/lineage/generation/targetDimension").asText()).isEqualTo("value");
        assertThat(candidate.at("/labels/semanticType").asText()).isEqualTo("attribute");
        assertThat(candidate.at("/schemaVersion").asInt()).isEqualTo(1);

        JsonNode accepted = JSON.readTree(EventCodec.encode(SampleEvents.accepted()));
        assertThat(accepted.at("/split").asText()).isEqualTo("validation");
        assertThat(accepted.at("/aligned/verdicts/0/dimension").asText()).isEqualTo("value");
        assertThat(accepted.at("/acceptedAt").asText()).isEqualTo("2025-06-02T09:14:11.512Z");
        assertThat(accepted.at("/labels/safety/none").isMissingNode()).as("derived getters are not written").isTrue();
    }

    @Test
    void aMetricWithoutSupportCarriesNaNThroughTheCodec() {
        MetricEvent undefined = new MetricEvent(1, "run-1", "target", "ffr", Double.NaN, Map.of(), 0, SampleEvents.AT);
        String json = EventCodec.encodeToString(undefined);
        assertThat(json).contains("\"value\":\"NaN\"");
        MetricEvent decoded = EventCodec.decode(json, MetricEvent.class);
        assertThat(decoded.value()).isNaN();
        assertThat(decoded).isEqualTo(undefined);
        assertInvalid(json.replace("\"NaN\"", "1e400"), MetricEvent.class).hasMessage("value: must be finite or NaN (undefined)");
    }

    @Test
    void unknownFieldsAreIgnoredAtTheTopLevelAndInNestedObjects() throws IOException {
        AcceptedPair pair = SampleEvents.accepted();
        ObjectNode json = tree(pair);
        json.put("addedInVersion2", "ignored");
        json.putObject("futureObject").put("x", 1);
        ((ObjectNode) json.at("/prompt")).put("language", "en");
        ((ObjectNode) json.at("/prompt/lineage/source")).putArray("checksums").add("abc");
        ((ObjectNode) json.at("/labels/value")).put("calibrated", true);
        ((ObjectNode) json.at("/labels/value/further/0")).put("rank", 2);
        ((ObjectNode) json.at("/aligned/verdicts/0/judgedBy")).put("endpoint", "http://judge:8000");
        ((ObjectNode) json.at("/misaligned")).putNull("latencyMs");
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(json), AcceptedPair.class)).isEqualTo(pair);

        ObjectNode letter = tree(SampleEvents.deadLetter());
        letter.put("retries", 3);
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(letter), DeadLetter.class)).isEqualTo(SampleEvents.deadLetter());
    }

    @Test
    void absentOptionalFieldsReadAsTheirDefaults() {
        String json = "{\"schemaVersion\":1,\"prompt\":{\"id\":\"p-1\",\"text\":\"Hello\","
                + "\"lineage\":{\"source\":{\"dataset\":\"inline\"},\"origin\":\"original\"}},"
                + "\"ingestedAt\":\"2025-06-02T09:14:03Z\"}";
        IngestedPrompt decoded = EventCodec.decode(json, IngestedPrompt.class);
        assertThat(decoded.prompt().metadata()).isEmpty();
        assertThat(decoded.prompt().lineage().parentIds()).isEmpty();
        assertThat(decoded.prompt().lineage().generation()).isNull();
        assertThat(decoded.prompt().lineage().source().row()).isNull();
        assertThat(decoded.key()).isEqualTo("p-1");
    }

    // ---- invalid records: InvalidEventException naming the field -----------------------------------

    @Test
    void missingPromptTextIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        ((ObjectNode) json.at("/prompt")).remove("text");
        assertInvalid(json, IngestedPrompt.class).hasMessage("prompt.text: is required");
    }

    @Test
    void blankPromptTextIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        ((ObjectNode) json.at("/prompt")).put("text", " \t\n ");
        assertInvalid(json, IngestedPrompt.class).hasMessage("prompt.text: must not be blank");
    }

    @Test
    void promptTextOverTheLimitIsRejectedAndAtTheLimitAccepted() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        ((ObjectNode) json.at("/prompt")).put("text", "a".repeat(EventLimits.MAX_PROMPT_CHARS + 1));
        assertInvalid(json, IngestedPrompt.class).hasMessage("prompt.text: " + (EventLimits.MAX_PROMPT_CHARS + 1)
                + " characters, more than the limit of " + EventLimits.MAX_PROMPT_CHARS);

        ((ObjectNode) json.at("/prompt")).put("text", "a".repeat(EventLimits.MAX_PROMPT_CHARS));
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(json), IngestedPrompt.class).prompt().text())
                .hasSize(EventLimits.MAX_PROMPT_CHARS);
    }

    @Test
    void promptTextWithNulIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        ((ObjectNode) json.at("/prompt")).put("text", "before\u0000after");
        assertInvalid(json, IngestedPrompt.class).hasMessage("prompt.text: contains a NUL character");
    }

    @Test
    void textsAnUnpairedSurrogateWouldChangeOnTheWayAreRejected() throws IOException {
        // Jackson reads "\ud800" into a String and writes the pair it forms with the next character: the space was lost
        String wire = new String(EventCodec.encode(SampleEvents.ingested()), StandardCharsets.UTF_8)
                .replace("\"text\":\"", "\"text\":\"lone \\ud800 surrogate ");
        assertThatThrownBy(() -> EventCodec.decode(wire.getBytes(StandardCharsets.UTF_8), IngestedPrompt.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("prompt.text: an unpaired surrogate U+D800 at index 5, which UTF-8 cannot encode");
        String lowFirst = wire.replace("\\ud800", "\\udc00\\ud800");
        assertThatThrownBy(() -> EventCodec.decode(lowFirst.getBytes(StandardCharsets.UTF_8), IngestedPrompt.class))
                .hasMessageContaining("U+DC00 at index 5");
        String inMetadata = new String(EventCodec.encode(SampleEvents.ingested()), StandardCharsets.UTF_8)
                .replace("\"metadata\":{", "\"metadata\":{\"note\":\"x\\udbff\",");
        assertThat(inMetadata).contains("udbff");
        assertThatThrownBy(() -> EventCodec.decode(inMetadata.getBytes(StandardCharsets.UTF_8), IngestedPrompt.class))
                .hasMessageContaining("prompt.metadata.note: an unpaired surrogate U+DBFF at index 1");
        // a pair is a character like any other
        ObjectNode json = tree(SampleEvents.ingested());
        ((ObjectNode) json.at("/prompt")).put("text", "an emoji \ud83d\ude00 is fine");
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(json), IngestedPrompt.class).prompt().text()).isEqualTo("an emoji \ud83d\ude00 is fine");
    }

    @Test
    void encodableTextRepairsWhatAnLlmAnswersAndKeepsEverythingElse() {
        assertThat(EncodableText.repaired("a\u0000b\ud800c\udc00\ud83d\ude00d\ud83d")).isEqualTo("a\ufffdb\ufffdc\ufffd\ud83d\ude00d\ufffd");
        String clean = "nothing to repair \ud83d\ude00";
        assertThat(EncodableText.repaired(clean)).isSameAs(clean);
        assertThat(EncodableText.repaired(null)).isNull();
    }

    @Test
    void aDeadLetterReasonCutInsideASurrogatePairIsRepairedNotRefused() {
        String reason = "r".repeat(EventLimits.MAX_REASON_CHARS - 4) + "\ud83d\ude00tail";
        DeadLetter letter = DeadLetter.of("t", 0, 0L, null, "s", reason, null, null, SampleEvents.AT);
        assertThat(letter.reason()).endsWith("r\ufffd...");
    }

    @Test
    void idWithSpacesIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        ((ObjectNode) json.at("/prompt")).put("id", "my prompt 1");
        assertInvalid(json, IngestedPrompt.class)
                .hasMessageStartingWith("prompt.id: 'my prompt 1' is not an id");
    }

    @Test
    void messagesNameTheFullPathOfTheField() throws IOException {
        ObjectNode origin = tree(SampleEvents.ingested());
        ((ObjectNode) origin.at("/prompt/lineage")).put("origin", "ORIGINAL");
        assertInvalid(origin, IngestedPrompt.class)
                .hasMessage("prompt.lineage.origin: 'ORIGINAL' is not one of original, synthetic");

        ObjectNode probability = tree(SampleEvents.classified());
        ((ObjectNode) probability.at("/labels/cultural")).put("probability", 1.5);
        assertInvalid(probability, ClassifiedPrompt.class)
                .hasMessage("labels.cultural.probability: 1.5 is not a probability in [0, 1]");

        ObjectNode version = tree(SampleEvents.ingested());
        version.remove("schemaVersion");
        assertInvalid(version, IngestedPrompt.class).hasMessage("schemaVersion: is required");
    }

    @Test
    void parentIdWithSpacesIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.candidate());
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.at("/prompt/lineage/parentIds")).add("not an id");
        assertInvalid(json, CandidatePrompt.class).hasMessageStartingWith("prompt.lineage.parentIds[1]: 'not an id' is not an id");
    }

    @Test
    void unknownDomainIdInLabelsIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.classified());
        ((ObjectNode) json.at("/labels/value")).put("primary", "healthiness");
        assertInvalid(json, ClassifiedPrompt.class)
                .hasMessage("labels.value.primary: 'healthiness' is not a value domain of the taxonomy");

        ObjectNode further = tree(SampleEvents.classified());
        ((ObjectNode) further.at("/labels/value/further/0")).put("domain", "self_harm");
        assertInvalid(further, ClassifiedPrompt.class)
                .hasMessage("labels.value.further[0].domain: 'self_harm' is not a value domain of the taxonomy");
    }

    @Test
    void probabilityOutsideZeroToOneIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.classified());
        ((ObjectNode) json.at("/labels/cultural")).put("probability", 1.5);
        assertInvalid(json, ClassifiedPrompt.class)
                .hasMessageContaining("probability: 1.5 is not a probability in [0, 1]");
    }

    @Test
    void schemaVersionZeroIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        json.put("schemaVersion", 0);
        assertInvalid(json, IngestedPrompt.class).hasMessage("schemaVersion: is required and must be at least 1");
    }

    @Test
    void newerSchemaVersionIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.unique());
        json.put("schemaVersion", 99);
        assertInvalid(json, UniquePrompt.class)
                .hasMessage("schemaVersion: 99 is newer than this reader's 1; upgrade the consumer");
    }

    @Test
    void currentSchemaVersionIsAccepted() throws IOException {
        ObjectNode json = tree(SampleEvents.rejected());
        json.put("schemaVersion", EventLimits.SCHEMA_VERSION);
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(json), RejectedPair.class).schemaVersion()).isEqualTo(1);
    }

    @Test
    void syntheticOriginWithoutGenerationIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.candidate());
        ((ObjectNode) json.at("/prompt/lineage")).remove("generation");
        assertInvalid(json, CandidatePrompt.class).hasMessage("prompt.lineage.generation: is required for a synthetic prompt");

        assertThatThrownBy(() -> new Lineage(new Source("inline", null), Origin.SYNTHETIC, List.of(), null))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("lineage.generation: is required for a synthetic prompt");
    }

    @Test
    void originalOriginWithGenerationIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.candidate());
        ((ObjectNode) json.at("/prompt/lineage")).put("origin", "original");
        assertInvalid(json, CandidatePrompt.class).hasMessage("prompt.lineage.generation: an original prompt has no generation");
    }

    @Test
    void wrongJsonTypeIsRejected() throws IOException {
        ObjectNode version = tree(SampleEvents.ingested());
        version.put("schemaVersion", "one");
        assertInvalid(version, IngestedPrompt.class).hasMessage("schemaVersion: 'one' cannot be read as int");

        ObjectNode prompt = tree(SampleEvents.ingested());
        prompt.put("prompt", "just a string");
        assertInvalid(prompt, IngestedPrompt.class).hasMessage("prompt: wrong JSON type, Prompt expected");

        ObjectNode instant = tree(SampleEvents.ingested());
        instant.put("ingestedAt", "yesterday");
        assertInvalid(instant, IngestedPrompt.class).hasMessage("ingestedAt: 'yesterday' cannot be read as Instant");
    }

    @Test
    void malformedJsonIsRejected() {
        assertInvalid("{\"schemaVersion\": 1, \"prompt\": {", IngestedPrompt.class)
                .hasMessageStartingWith("prompt: not a valid IngestedPrompt: ")
                .hasMessageContaining("end-of-input")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        assertInvalid("{schemaVersion: 1}", IngestedPrompt.class).hasMessageStartingWith("not a valid IngestedPrompt: ");
    }

    @Test
    void emptyPayloadIsRejected() {
        assertInvalid(new byte[0], IngestedPrompt.class).hasMessage("empty payload: a IngestedPrompt was expected");
        assertThatThrownBy(() -> EventCodec.decode((byte[]) null, ClassifiedPrompt.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("empty payload: a ClassifiedPrompt was expected");
        assertThatThrownBy(() -> EventCodec.decode((String) null, ClassifiedPrompt.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("empty payload: a ClassifiedPrompt was expected");
    }

    @Test
    void invalidUtf8IsRejected() {
        assertInvalid(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, IngestedPrompt.class)
                .hasMessageStartingWith("not a valid IngestedPrompt: ")
                .hasMessageContaining("Invalid UTF-8");

        byte[] valid = EventCodec.encode(SampleEvents.ingested());
        String text = new String(valid, StandardCharsets.UTF_8).replace("grandfather", "grandp\u00e8re");
        byte[] broken = text.getBytes(StandardCharsets.UTF_8);
        int at = text.indexOf('\u00e8');
        assertThat(broken[at]).isEqualTo((byte) 0xC3);
        broken[at + 1] = 0x28;
        assertInvalid(broken, IngestedPrompt.class)
                .hasMessageStartingWith("prompt.text: ")
                .hasMessageContaining("Invalid UTF-8");
    }

    @Test
    void jsonNullIsRejected() {
        assertInvalid("null", IngestedPrompt.class).hasMessage("payload is JSON null: a IngestedPrompt was expected");
        assertInvalid(" null ".getBytes(StandardCharsets.UTF_8), DeadLetter.class)
                .hasMessage("payload is JSON null: a DeadLetter was expected");
    }

    @Test
    void duplicateOutsideItsThresholdIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.duplicate());
        json.put("hammingDistance", 4);
        assertInvalid(json, DuplicatePrompt.class).hasMessage("hammingDistance: 4 is not within the threshold 3");

        ObjectNode fingerprint = tree(SampleEvents.duplicate());
        ((ObjectNode) fingerprint.at("/fingerprint")).put("simhash", "9F3B2C71A60E5D84");
        assertInvalid(fingerprint, DuplicatePrompt.class).hasMessageStartingWith("fingerprint.simhash: '9F3B2C71A60E5D84'");
    }

    @Test
    void aDuplicateCarriesItsSimilarityWithItsMinimumOrNeither() throws IOException {
        ObjectNode verified = tree(SampleEvents.duplicate());
        verified.put("similarity", 0.742);
        verified.put("minSimilarity", 0.5);
        DuplicatePrompt decoded = EventCodec.decode(verified.toString().getBytes(StandardCharsets.UTF_8), DuplicatePrompt.class);
        assertThat(decoded.similarity()).isEqualTo(0.742);
        assertThat(decoded.minSimilarity()).isEqualTo(0.5);
        assertThat(SampleEvents.duplicate().similarity()).isNull(); // a decision by Hamming distance alone

        ObjectNode alone = tree(SampleEvents.duplicate());
        alone.put("similarity", 0.742);
        assertInvalid(alone, DuplicatePrompt.class).hasMessage("similarity and minSimilarity: both or neither");
        verified.put("similarity", 1.5);
        assertInvalid(verified, DuplicatePrompt.class).hasMessageContaining("a similarity is in [0, 1]");
    }

    // ---- metadata --------------------------------------------------------------------------------

    @Test
    void metadataSurvivesARoundTripUnchangedAndInOrder() {
        String metadata = "{\"zeta\":1,\"alpha\":[1,2.5,-0.125,{\"k\":null,\"b\":true}],"
                + "\"big\":12345678901234567890,\"long\":9007199254740993,\"text\":\"caf\u00e9 \u2615\","
                + "\"rater\":{\"id\":\"r-17\",\"scores\":{\"fluency\":4,\"helpful\":0.75}},\"empty\":{},\"none\":null}";
        String json = "{\"schemaVersion\":1,\"prompt\":{\"id\":\"p-1\",\"text\":\"Hello\",\"lineage\":{\"source\":"
                + "{\"dataset\":\"inline.jsonl\",\"row\":3},\"origin\":\"original\"},\"metadata\":" + metadata + "},"
                + "\"ingestedAt\":\"2025-06-02T09:14:03Z\"}";
        IngestedPrompt decoded = EventCodec.decode(json, IngestedPrompt.class);
        Map<String, Object> read = decoded.prompt().metadata();
        assertThat(read.keySet()).containsExactly("zeta", "alpha", "big", "long", "text", "rater", "empty", "none");
        assertThat(read.get("zeta")).isEqualTo(1);
        assertThat(read.get("big")).isEqualTo(new BigInteger("12345678901234567890"));
        assertThat(read.get("long")).isEqualTo(9007199254740993L);
        assertThat(read.get("alpha")).isEqualTo(List.of(1, 2.5, -0.125, mapOf("k", null, "b", true)));
        @SuppressWarnings("unchecked") Map<String, Object> rater = (Map<String, Object>) read.get("rater");
        assertThat(rater.keySet()).containsExactly("id", "scores");

        String encoded = EventCodec.encodeToString(decoded);
        assertThat(encoded).contains("\"metadata\":" + metadata + "}");
        IngestedPrompt again = EventCodec.decode(encoded, IngestedPrompt.class);
        assertThat(again).isEqualTo(decoded);
        assertThat(again.prompt().metadata().keySet()).containsExactlyElementsOf(read.keySet());
    }

    @Test
    void metadataBuiltInJavaKeepsItsOrder() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            metadata.put("column" + i, "value " + i);
        }
        Prompt prompt = new Prompt("p-2", "Hello", Lineage.original(new Source("inline", null)), metadata);
        assertThat(prompt.metadata().keySet()).containsExactlyElementsOf(metadata.keySet());
        IngestedPrompt decoded = EventCodec.decode(EventCodec.encode(IngestedPrompt.of(prompt, SampleEvents.AT)), IngestedPrompt.class);
        assertThat(decoded.prompt().metadata().keySet()).containsExactlyElementsOf(metadata.keySet());
        assertThatThrownBy(() -> prompt.metadata().put("added", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void metadataWithMoreThanTheMaximumEntriesIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.ingested());
        ObjectNode metadata = ((ObjectNode) json.at("/prompt")).putObject("metadata");
        for (int i = 0; i < EventLimits.MAX_METADATA_ENTRIES; i++) {
            metadata.put("k" + i, i);
        }
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(json), IngestedPrompt.class).prompt().metadata())
                .hasSize(EventLimits.MAX_METADATA_ENTRIES);
        metadata.put("one_too_many", true);
        assertInvalid(json, IngestedPrompt.class).hasMessage("prompt.metadata: " + (EventLimits.MAX_METADATA_ENTRIES + 1)
                + " entries, more than the limit of " + EventLimits.MAX_METADATA_ENTRIES);
    }

    @Test
    void metadataOverTheByteLimitOrTooDeepIsRejected() throws IOException {
        ObjectNode big = tree(SampleEvents.ingested());
        // {"notes":"xx...x"}: 12 bytes around the text
        ((ObjectNode) big.at("/prompt")).putObject("metadata").put("notes", "x".repeat(EventLimits.MAX_METADATA_BYTES - 12));
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(big), IngestedPrompt.class).prompt().metadata()).containsKey("notes");
        ((ObjectNode) big.at("/prompt/metadata")).put("notes", "x".repeat(EventLimits.MAX_METADATA_BYTES - 11));
        assertInvalid(big, IngestedPrompt.class).hasMessage("prompt.metadata: " + (EventLimits.MAX_METADATA_BYTES + 1)
                + " bytes as JSON, more than the limit of " + EventLimits.MAX_METADATA_BYTES);

        // what weighs nothing as characters weighs what it takes on the wire: empty objects, escaped control characters
        ObjectNode padded = tree(SampleEvents.ingested());
        com.fasterxml.jackson.databind.node.ArrayNode pad = ((ObjectNode) padded.at("/prompt")).putObject("metadata").putArray("pad");
        for (int i = 0; i < EventLimits.MAX_METADATA_BYTES / 3; i++) {
            pad.addObject();
        }
        assertInvalid(padded, IngestedPrompt.class).hasMessageContaining("bytes as JSON, more than the limit of " + EventLimits.MAX_METADATA_BYTES);
        ObjectNode escaped = tree(SampleEvents.ingested());
        ((ObjectNode) escaped.at("/prompt")).putObject("metadata").put("notes", "\u0001".repeat(EventLimits.MAX_METADATA_BYTES / 6));
        assertInvalid(escaped, IngestedPrompt.class).hasMessageContaining("bytes as JSON, more than the limit of " + EventLimits.MAX_METADATA_BYTES);

        ObjectNode deepest = tree(SampleEvents.ingested());
        ((ObjectNode) deepest.at("/prompt")).putObject("metadata").putObject("a").putObject("b").put("c", 1);
        assertThat(EventCodec.decode(JSON.writeValueAsBytes(deepest), IngestedPrompt.class).prompt().metadata())
                .containsKey("a");

        ObjectNode tooDeep = tree(SampleEvents.ingested());
        ((ObjectNode) tooDeep.at("/prompt")).putObject("metadata").putObject("a").putObject("b").putObject("c").put("d", 1);
        assertInvalid(tooDeep, IngestedPrompt.class)
                .hasMessage("prompt.metadata.a.b.c.d: nested deeper than " + EventLimits.MAX_METADATA_DEPTH + " levels");
    }

    // ---- dead letters ----------------------------------------------------------------------------

    @Test
    void deadLetterKeepsValidUtf8AsText() {
        String payload = "{\"text\":\"Cr\u00e8me br\u00fbl\u00e9e \u2615\"}";
        IllegalStateException error = new IllegalStateException("boom");
        DeadLetter letter = DeadLetter.of(Topics.PROMPTS_CLASSIFIED, 3, 77L, "p-9", "expander-service", "labels: is required",
                error, payload.getBytes(StandardCharsets.UTF_8), SampleEvents.AT);
        assertThat(letter.payload()).isEqualTo(payload);
        assertThat(letter.payloadEncoding()).isEqualTo(DeadLetter.UTF8).isEqualTo("utf-8");
        assertThat(letter.payloadTruncated()).isFalse();
        assertThat(letter.schemaVersion()).isEqualTo(EventLimits.SCHEMA_VERSION);
        assertThat(letter.sourceTopic()).isEqualTo("prompts.classified");
        assertThat(letter.partition()).isEqualTo(3);
        assertThat(letter.offset()).isEqualTo(77L);
        assertThat(letter.key()).isEqualTo("p-9");
        assertThat(letter.service()).isEqualTo("expander-service");
        assertThat(letter.reason()).isEqualTo("labels: is required");
        assertThat(letter.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(letter.failedAt()).isEqualTo(SampleEvents.AT);
        assertThat(EventCodec.decode(EventCodec.encode(letter), DeadLetter.class)).isEqualTo(letter);
    }

    @Test
    void deadLetterStoresInvalidUtf8AsBase64OfTheSameBytes() {
        byte[] payload = {'{', (byte) 0xC3, (byte) 0x28, '}', 0, (byte) 0xFF};
        DeadLetter letter = DeadLetter.of(Topics.PROMPTS_INGESTED, 0, 5L, null, "classifier-service",
                "not a valid IngestedPrompt: Invalid UTF-8 middle byte 0x28", null, payload, SampleEvents.AT);
        assertThat(letter.payloadEncoding()).isEqualTo(DeadLetter.BASE64).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(letter.payload())).containsExactly(payload);
        assertThat(letter.payloadTruncated()).isFalse();
        assertThat(letter.key()).isNull();
        assertThat(letter.errorType()).isNull();
        assertThat(EventCodec.decode(EventCodec.encode(letter), DeadLetter.class)).isEqualTo(letter);
    }

    @Test
    void deadLetterCutsAnOverLongReasonToTheLimit() {
        String reason = "prompt.text: " + "x".repeat(EventLimits.MAX_REASON_CHARS * 2);
        DeadLetter letter = DeadLetter.of(Topics.PROMPTS_INGESTED, 0, 1L, "k", "classifier-service", reason,
                new InvalidEventException("x"), new byte[] {'{', '}'}, SampleEvents.AT);
        assertThat(letter.reason()).hasSize(EventLimits.MAX_REASON_CHARS)
                .startsWith("prompt.text: xxx")
                .endsWith("...")
                .isEqualTo(reason.substring(0, EventLimits.MAX_REASON_CHARS - 3) + "...");
        assertThat(EventCodec.decode(EventCodec.encode(letter), DeadLetter.class)).isEqualTo(letter);

        String exact = "r".repeat(EventLimits.MAX_REASON_CHARS);
        assertThat(DeadLetter.of("t", 0, 0L, null, "s", exact, null, null, SampleEvents.AT).reason()).isEqualTo(exact);
    }

    @Test
    void deadLetterWithoutReasonOrPayload() {
        DeadLetter letter = DeadLetter.of("t", 0, 0L, null, "s", "  ", null, null, SampleEvents.AT);
        assertThat(letter.reason()).isEqualTo("unknown failure");
        assertThat(letter.payload()).isNull();
        assertThat(letter.payloadEncoding()).isNull();
        assertThat(letter.payloadTruncated()).isFalse();
    }

    @Test
    void deadLetterCutsAnOverLongPayloadAndSaysSo() {
        byte[] payload = "a".repeat(EventLimits.MAX_DEAD_LETTER_PAYLOAD_BYTES + 10).getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of("t", 0, 0L, null, "s", "too big", null, payload, SampleEvents.AT);
        assertThat(letter.payloadTruncated()).isTrue();
        assertThat(letter.payloadEncoding()).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(letter.payload()))
                .isEqualTo(java.util.Arrays.copyOf(payload, EventLimits.MAX_DEAD_LETTER_PAYLOAD_BYTES));
    }

    @Test
    void aDeadLetterOfTheWorstPayloadStaysUnderKafkasDefaultRecordSize() {
        // Control characters grow six-fold when escaped: such a payload above the text limit travels as base64.
        byte[] controls = new byte[EventLimits.MAX_DEAD_LETTER_PAYLOAD_BYTES * 2];
        java.util.Arrays.fill(controls, (byte) 0x01);
        byte[] quotes = "\"".repeat(EventLimits.MAX_DEAD_LETTER_TEXT_BYTES).getBytes(StandardCharsets.UTF_8);
        for (byte[] payload : List.of(controls, quotes)) {
            DeadLetter letter = DeadLetter.of("t", 0, 0L, "k", "s", "r".repeat(EventLimits.MAX_REASON_CHARS), null, payload, SampleEvents.AT);
            assertThat(EventCodec.encode(letter).length).isLessThan(1024 * 1024);
            assertThat(EventCodec.decode(EventCodec.encode(letter), DeadLetter.class)).isEqualTo(letter);
        }
    }

    @Test
    void aPromptAtTheCharacterLimitMadeOfEmojiStaysUnderKafkasDefaultRecordSize() {
        String emoji = "\uD83D\uDE00".repeat(EventLimits.MAX_PROMPT_CHARS / 2);
        IngestedPrompt record = IngestedPrompt.of(new Prompt("p1", emoji,
                Lineage.original(new Source("emoji.txt", 1L)), Map.of()), SampleEvents.AT);
        byte[] encoded = EventCodec.encode(record);
        assertThat(encoded.length).isLessThan(1024 * 1024);
        assertThat(EventCodec.decode(encoded, IngestedPrompt.class)).isEqualTo(record);
    }

    @Test
    void deadLetterWithAnUnknownEncodingIsRejected() throws IOException {
        ObjectNode json = tree(SampleEvents.deadLetter());
        json.put("payloadEncoding", "latin-1");
        assertInvalid(json, DeadLetter.class).hasMessage("payloadEncoding: must be utf-8 or base64");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static ObjectNode tree(Object record) throws IOException {
        return (ObjectNode) JSON.readTree(EventCodec.encode(record));
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(ObjectNode json, Class<?> type) throws IOException {
        return assertInvalid(JSON.writeValueAsBytes(json), type);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String json, Class<?> type) {
        return assertInvalid(json.getBytes(StandardCharsets.UTF_8), type);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(byte[] payload, Class<?> type) {
        return assertThatThrownBy(() -> EventCodec.decode(payload, type)).isExactlyInstanceOf(InvalidEventException.class);
    }
}
