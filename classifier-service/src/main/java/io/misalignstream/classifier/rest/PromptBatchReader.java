package io.misalignstream.classifier.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.misalignstream.contracts.event.Prompt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code POST /prompts} body as it streams in: one JSON prompt object, a JSON array of them, or NDJSON
 * (one object a line). The request is all or nothing: one invalid item refuses it, with every item's errors.
 * Plain Java, so the rules are tested without a server.
 *
 * <p>Statuses: 413 when the body is over {@code maxRequestBytes}, holds more than {@code maxPrompts} prompts, or
 * a text is over the byte limit (then with the other items' errors too); 400 for anything else.
 */
public final class PromptBatchReader {

    /** A refusal lists this many errors at most, so that a bad 10,000-line file gets a short answer. */
    public static final int MAX_REPORTED_ERRORS = 100;

    private final PromptItems items;
    private final ObjectMapper mapper;
    private final ObjectReader elements;
    private final long maxRequestBytes;
    private final int maxPrompts;

    public PromptBatchReader(ObjectMapper mapper, int maxTextBytes, long maxRequestBytes, int maxPrompts) {
        this.items = new PromptItems(maxTextBytes, mapper);
        this.mapper = mapper;
        // An array's elements are read one at a time from one parser: the next element is not a trailing token.
        this.elements = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.maxRequestBytes = maxRequestBytes;
        this.maxPrompts = maxPrompts;
    }

    public long maxRequestBytes() {
        return maxRequestBytes;
    }

    /** A JSON body: one prompt object or an array of them, the array read element by element. */
    public Submission readJson(InputStream body) throws IOException {
        BoundedBody bounded = new BoundedBody(body, maxRequestBytes);
        Collected collected = new Collected();
        int index = 0;
        try (JsonParser parser = mapper.createParser(bounded)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Submission.Refused.of(400, FieldError.ofRequest("empty body: a prompt object or an array of them expected"));
            }
            if (first == JsonToken.START_ARRAY) {
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (token == null) {
                        return Submission.Refused.of(400, new FieldError(index, null, "malformed JSON: the array is not closed"));
                    }
                    if (index == maxPrompts) {
                        return tooMany();
                    }
                    collected.add(items.read(index, elements.readTree(parser)));
                    index++;
                }
            } else {
                collected.add(items.read(index, elements.readTree(parser)));
            }
            if (parser.nextToken() != null) {
                return Submission.Refused.of(400, new FieldError(index, null, "malformed JSON: more content after the "
                        + (first == JsonToken.START_ARRAY ? "array" : "prompt object") + at(parser.currentLocation())));
            }
        } catch (BoundedBody.TooLargeException e) {
            return tooLarge();
        } catch (JsonProcessingException e) {
            if (bounded.exceeded()) {
                return tooLarge();
            }
            return Submission.Refused.of(400, new FieldError(index, null, "malformed JSON: " + e.getOriginalMessage() + at(e.getLocation())));
        }
        return collected.submission("the array holds no prompt");
    }

    /** An NDJSON body, line by line; blank lines are skipped but counted, so an error's index is its line. */
    public Submission readNdjson(InputStream body) throws IOException {
        BoundedBody bounded = new BoundedBody(body, maxRequestBytes);
        // Strict UTF-8: a body in another encoding is refused, not turned into replacement characters.
        BufferedReader lines = new BufferedReader(new InputStreamReader(bounded, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        Collected collected = new Collected();
        int line = 0;
        int prompts = 0;
        try {
            for (String text = lines.readLine(); text != null; text = lines.readLine(), line++) {
                if (text.isBlank()) {
                    continue;
                }
                if (prompts == maxPrompts) {
                    return tooMany();
                }
                prompts++;
                JsonNode node;
                try {
                    node = mapper.readTree(text);
                } catch (JsonProcessingException e) {
                    // A line is a unit of its own: the next one is still read, so every bad line is reported.
                    collected.add(new FieldError(line, null, "malformed JSON: " + e.getOriginalMessage()));
                    continue;
                }
                collected.add(items.read(line, node));
            }
        } catch (BoundedBody.TooLargeException e) {
            return tooLarge();
        } catch (CharacterCodingException e) {
            return Submission.Refused.of(400, FieldError.ofRequest("the body is not UTF-8 text"));
        }
        return collected.submission("the body holds no prompt");
    }

    private Submission tooLarge() {
        return Submission.Refused.of(413, FieldError.ofRequest("request body over the limit of " + maxRequestBytes + " bytes"));
    }

    private Submission tooMany() {
        return Submission.Refused.of(413, FieldError.ofRequest("more than " + maxPrompts + " prompts in one request"));
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The prompts and errors of one request so far. */
    private static final class Collected {

        private final List<Prompt> prompts = new ArrayList<>();
        private final List<FieldError> errors = new ArrayList<>();
        private int omitted;
        private boolean oversized;

        void add(PromptItems.Item item) {
            if (item.prompt() != null) {
                // Once one item failed, the request is refused: the valid ones are not kept.
                if (errors.isEmpty() && omitted == 0) {
                    prompts.add(item.prompt());
                }
                return;
            }
            oversized |= item.oversized();
            item.errors().forEach(this::add);
        }

        void add(FieldError error) {
            prompts.clear();
            if (errors.size() < MAX_REPORTED_ERRORS) {
                errors.add(error);
            } else {
                omitted++;
            }
        }

        Submission submission(String whenEmpty) {
            if (!errors.isEmpty()) {
                return new Submission.Refused(oversized ? 413 : 400, List.copyOf(errors), omitted);
            }
            if (prompts.isEmpty()) {
                return Submission.Refused.of(400, FieldError.ofRequest(whenEmpty));
            }
            return new Submission.Valid(List.copyOf(prompts));
        }
    }
}
