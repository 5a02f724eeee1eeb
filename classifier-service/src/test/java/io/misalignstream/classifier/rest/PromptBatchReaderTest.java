package io.misalignstream.classifier.rest;

import io.misalignstream.contracts.PromptIds;
import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.EventLimits;
import io.misalignstream.contracts.event.Origin;
import io.misalignstream.contracts.event.Prompt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The front door's parsing and validation rules, without a server. */
class PromptBatchReaderTest {

    private static final int MAX_TEXT_BYTES = 100;
    private static final long MAX_REQUEST_BYTES = 4096;
    private static final int MAX_PROMPTS = 20;

    private final PromptBatchReader reader = new PromptBatchReader(EventCodec.mapper(), MAX_TEXT_BYTES, MAX_REQUEST_BYTES, MAX_PROMPTS);

    @Test
    void readsOneObjectWithEveryField() throws IOException {
        Submission submission = reader.readJson(body("""
                {"id": "faq-7", "text": "How do tides work?", "dataset": "faq", "row": 7, "metadata": {"lang": "en", "votes": 3}, "unknown": true}
                """));

        Prompt prompt = valid(submission).get(0);
        assertThat(valid(submission)).hasSize(1);
        assertThat(prompt.id()).as("a client's id in its data set's namespace").isEqualTo("faq:faq-7");
        assertThat(prompt.text()).isEqualTo("How do tides work?");
        assertThat(prompt.lineage().source().dataset()).isEqualTo("faq");
        assertThat(prompt.lineage().source().row()).isEqualTo(7L);
        assertThat(prompt.lineage().origin()).isEqualTo(Origin.ORIGINAL);
        assertThat(prompt.metadata()).containsEntry("lang", "en").containsEntry("votes", 3);
    }

    @Test
    void derivesAbsentIdsFromDatasetRowAndTextAsTheCliDoes() throws IOException {
        List<Prompt> prompts = valid(reader.readJson(body("""
                [{"text": "How do tides work?", "row": 3},
                 {"text": "How do tides work?", "row": 3},
                 {"text": "How do tides work?"},
                 {"text": "How do tides work?", "dataset": "other", "row": 3}]
                """)));

        // the value the CLI's PromptIds.of("api", 3L, "How do tides work?") gives
        assertThat(prompts.get(0).id()).isEqualTo("b5eb0a01271edd0eabe29392bfab7f63");
        assertThat(prompts.get(1).id()).isEqualTo(prompts.get(0).id());
        assertThat(prompts.get(2).id()).matches("[0-9a-f]{32}").isNotEqualTo(prompts.get(0).id());
        assertThat(prompts.get(3).id()).matches("[0-9a-f]{32}").isNotEqualTo(prompts.get(0).id());
        assertThat(prompts.get(0).lineage().source().dataset()).isEqualTo("api");
        assertThat(prompts.get(2).lineage().source().row()).isNull();
        assertThat(PromptIds.of("support-tickets.csv", 42L, "Je voudrais annuler ma commande \u00e9 \ud83d\ude00"))
                .isEqualTo("1b98df3815b497fc7b09aa90775b9627");
    }

    @Test
    void keepsEachDataSetsClientIdsApartAndRefusesANamespaceThatCannotPrefixThem() throws IOException {
        List<Prompt> prompts = valid(reader.readJson(body("""
                [{"id": "7", "text": "How do tides work?", "dataset": "faq"},
                 {"id": "7", "text": "Cancel my order, please.", "dataset": "support.tickets-2026"},
                 {"id": "7", "text": "What is a leap year?"}]
                """)));
        assertThat(prompts).extracting(Prompt::id).containsExactly("faq:7", "support.tickets-2026:7", "api:7");

        Submission.Refused refused = refused(reader.readJson(body("""
                [{"id": "7", "text": "How do tides work?", "dataset": "faq:extra"},
                 {"id": "8", "text": "How do tides work?", "dataset": "support tickets"},
                 {"text": "A data set of any name without client ids", "dataset": "support tickets"},
                 {"id": "9", "text": "How do tides work?", "dataset": "_faq"},
                 {"id": "%s", "text": "How do tides work?", "dataset": "faq"}]
                """.formatted("x".repeat(125)))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).extracting(FieldError::index).containsExactly(0, 1, 3, 4);
        assertThat(refused.errors()).extracting(FieldError::field).containsExactly("dataset", "dataset", "dataset", "id");
        assertThat(refused.errors().get(3).message()).contains("over 128 characters");
        assertThat(refused.errors().get(1).message()).startsWith("'support tickets' cannot hold prompts with their own ids");
    }

    @Test
    void readsNdjsonLineByLineSkippingBlankLines() throws IOException {
        String lines = IntStream.range(0, 15).mapToObj(i -> "{\"id\": \"line-" + i + "\", \"text\": \"prompt number " + i + "\"}")
                .collect(Collectors.joining("\n", "", "\n\n  \n"));

        List<Prompt> prompts = valid(reader.readNdjson(body(lines)));

        assertThat(prompts).extracting(Prompt::id).containsExactlyElementsOf(IntStream.range(0, 15).mapToObj(i -> "api:line-" + i).toList());
        assertThat(prompts.get(14).text()).isEqualTo("prompt number 14");
    }

    @Test
    void refusesTheWholeRequestWithEveryFieldErrorOfEveryItem() throws IOException {
        Submission submission = reader.readJson(body("""
                [{"text": "fine"},
                 {"id": "no-text"},
                 {"text": "   "},
                 {"text": 42, "row": "seven"},
                 {"text": "ok", "id": "bad id!"},
                 {"text": "ok", "row": 0, "metadata": [1]},
                 "just a string",
                 {"text": "bell\\u0007"},
                 {"text": "lone \\ud800 half"}]
                """));

        Submission.Refused refused = refused(submission);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).containsExactly(
                new FieldError(1, "text", "is required"),
                new FieldError(2, "text", "must not be blank"),
                new FieldError(3, "text", "wrong JSON type, a string expected"),
                new FieldError(3, "row", "wrong JSON type, a whole number expected"),
                new FieldError(4, "id", "'bad id!' is not an id (letters, digits and . _ : - only)"),
                new FieldError(5, "row", "0 is not a 1-based record number"),
                new FieldError(5, "metadata", "wrong JSON type, an object expected"),
                new FieldError(6, null, "must be a JSON object with a \"text\" field"),
                new FieldError(7, "text", "control character U+0007 at index 4"),
                new FieldError(8, "text", "an unpaired surrogate U+D800 at index 5, which UTF-8 cannot encode"));
    }

    @Test
    void aTextOverTheByteLimitIs413WithItsFieldError() throws IOException {
        // 51 two-byte characters: 102 bytes, under the limit in characters, over it in UTF-8 bytes
        Submission submission = reader.readJson(body("[{\"text\": \"ok\"}, {\"text\": \"" + "é".repeat(51) + "\"}]"));

        Submission.Refused refused = refused(submission);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.errors()).containsExactly(new FieldError(1, "text", "102 bytes, more than the limit of 100"));
    }

    @Test
    void malformedJsonIs400WithTheParserMessage() throws IOException {
        Submission.Refused truncated = refused(reader.readJson(body("[{\"text\": \"ok\"}, {\"text\": ")));
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.errors()).singleElement().satisfies(error -> {
            assertThat(error.index()).isEqualTo(1);
            assertThat(error.message()).startsWith("malformed JSON: ").contains("end-of-input");
        });

        Submission.Refused trailing = refused(reader.readJson(body("{\"text\": \"ok\"} {\"text\": \"again\"}")));
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.errors().get(0).message()).startsWith("malformed JSON: more content after the prompt object");

        Submission.Refused empty = refused(reader.readJson(body("  ")));
        assertThat(empty.errors().get(0).message()).startsWith("empty body");

        Submission.Refused noPrompt = refused(reader.readJson(body("[]")));
        assertThat(noPrompt.status()).isEqualTo(400);
        assertThat(noPrompt.errors().get(0).message()).isEqualTo("the array holds no prompt");
    }

    @Test
    void aMalformedNdjsonLineIsReportedAndTheOthersStillChecked() throws IOException {
        Submission.Refused refused = refused(reader.readNdjson(body("{\"text\": \"ok\"}\n{\"text\": \n\n{\"id\": \"x\"}\n")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).hasSize(2);
        assertThat(refused.errors().get(0).index()).isEqualTo(1);
        assertThat(refused.errors().get(0).message()).startsWith("malformed JSON: ");
        assertThat(refused.errors().get(1)).isEqualTo(new FieldError(3, "text", "is required"));
    }

    @Test
    void ndjsonThatIsNotUtf8IsRefused() throws IOException {
        byte[] latin1 = "{\"text\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);

        Submission.Refused refused = refused(reader.readNdjson(new ByteArrayInputStream(latin1)));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).containsExactly(FieldError.ofRequest("the body is not UTF-8 text"));
    }

    @Test
    void aBodyOverTheLimitIs413WhileItStreams() throws IOException {
        String big = "{\"text\": \"" + "a".repeat(90) + "\"}\n";
        // an endless body: the reader must stop at the limit rather than read it all
        InputStream endless = new InputStream() {
            private final byte[] line = big.getBytes(StandardCharsets.UTF_8);
            private long position;

            @Override
            public int read() {
                return line[(int) (position++ % line.length)];
            }
        };

        Submission.Refused ndjson = refused(new PromptBatchReader(EventCodec.mapper(), MAX_TEXT_BYTES, MAX_REQUEST_BYTES, 10_000).readNdjson(endless));
        assertThat(ndjson.status()).isEqualTo(413);
        assertThat(ndjson.errors()).containsExactly(FieldError.ofRequest("request body over the limit of 4096 bytes"));

        String array = "[" + IntStream.range(0, 50).mapToObj(i -> big.strip()).collect(Collectors.joining(",")) + "]";
        Submission.Refused json = refused(new PromptBatchReader(EventCodec.mapper(), MAX_TEXT_BYTES, MAX_REQUEST_BYTES, 10_000).readJson(body(array)));
        assertThat(json.status()).isEqualTo(413);
        assertThat(json.errors()).containsExactly(FieldError.ofRequest("request body over the limit of 4096 bytes"));
    }

    @Test
    void metadataIsWeighedAsItTravelsSoPaddingWithEmptyObjectsIsABadRecord() throws IOException {
        PromptBatchReader roomy = new PromptBatchReader(EventCodec.mapper(), MAX_TEXT_BYTES, 8 * 1024 * 1024, MAX_PROMPTS);
        String pad = IntStream.range(0, EventLimits.MAX_METADATA_BYTES / 3).mapToObj(i -> "{}").collect(Collectors.joining(","));

        Submission.Refused refused = refused(roomy.readJson(body("{\"text\": \"fine\", \"metadata\": {\"pad\": [" + pad + "]}}")));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("metadata");
            assertThat(error.message()).endsWith("bytes as JSON, more than the limit of " + EventLimits.MAX_METADATA_BYTES);
        });
    }

    @Test
    void whatTheFrontDoorAcceptsAlwaysFitsAnIngestedRecord() {
        // the longest text, every character three bytes (control characters, six as JSON, are refused), the largest
        // metadata, and room for the id, data set and the record's own fields
        long largest = 3L * EventLimits.MAX_PROMPT_CHARS + EventLimits.MAX_METADATA_BYTES + 4L * 1024;
        assertThat(largest).isLessThan(EventLimits.MAX_INGESTED_BYTES);
    }

    @Test
    void moreThanMaxPromptsIs413() throws IOException {
        String array = "[" + IntStream.range(0, MAX_PROMPTS + 1).mapToObj(i -> "{\"text\": \"p" + i + "\"}").collect(Collectors.joining(",")) + "]";
        String lines = IntStream.range(0, MAX_PROMPTS + 1).mapToObj(i -> "{\"text\": \"p" + i + "\"}").collect(Collectors.joining("\n"));
        String exactly = "[" + IntStream.range(0, MAX_PROMPTS).mapToObj(i -> "{\"text\": \"p" + i + "\"}").collect(Collectors.joining(",")) + "]";

        assertThat(refused(reader.readJson(body(array))).status()).isEqualTo(413);
        assertThat(refused(reader.readNdjson(body(lines))).errors()).containsExactly(FieldError.ofRequest("more than 20 prompts in one request"));
        assertThat(valid(reader.readJson(body(exactly)))).hasSize(MAX_PROMPTS);
    }

    @Test
    void reportsAtMostAHundredErrorsAndCountsTheRest() throws IOException {
        PromptBatchReader roomy = new PromptBatchReader(EventCodec.mapper(), MAX_TEXT_BYTES, 1_000_000, 10_000);
        String lines = "{}\n".repeat(130);

        Submission.Refused refused = refused(roomy.readNdjson(body(lines)));

        assertThat(refused.errors()).hasSize(PromptBatchReader.MAX_REPORTED_ERRORS);
        assertThat(refused.errors().get(99)).isEqualTo(new FieldError(99, "text", "is required"));
        assertThat(refused.omitted()).isEqualTo(30);
    }

    @Test
    void contractMessagesKeepNestedMetadataPaths() {
        assertThat(PromptItems.fromMessage(2, "metadata", "prompt.metadata.deep: nested deeper than 4 levels"))
                .isEqualTo(new FieldError(2, "metadata.deep", "nested deeper than 4 levels"));
        assertThat(PromptItems.fromMessage(0, "dataset", "source.dataset: must not be blank"))
                .isEqualTo(new FieldError(0, "dataset", "must not be blank"));
    }

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Prompt> valid(Submission submission) {
        assertThat(submission).isInstanceOf(Submission.Valid.class);
        return ((Submission.Valid) submission).prompts();
    }

    private static Submission.Refused refused(Submission submission) {
        assertThat(submission).isInstanceOf(Submission.Refused.class);
        return (Submission.Refused) submission;
    }
}
