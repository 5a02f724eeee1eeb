package io.misalignstream.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.SemanticType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's hand-labelled prompts ({@code labelled-prompts.jsonl}): expected domain per dimension and
 * semantic type. Odd-numbered rows tune the embedded classifier's calibration; even-numbered rows are held
 * out and only ever measured.
 */
public final class LabelledSet {

    public static final String RESOURCE = "/io/misalignstream/inference/labelled-prompts.jsonl";

    public record LabelledPrompt(int row, String id, String text, String safety, String value, String cultural,
                                 SemanticType semanticType) {

        public String expected(Dimension dimension) {
            return switch (dimension) {
                case SAFETY -> safety;
                case VALUE -> value;
                case CULTURAL -> cultural;
            };
        }

        public boolean tuning() {
            return row % 2 == 1;
        }
    }

    private record Line(String id, String text, String safety, String value, String cultural, String semanticType) {
    }

    private LabelledSet() {
    }

    public static List<LabelledPrompt> all() {
        ObjectMapper json = new ObjectMapper();
        List<LabelledPrompt> prompts = new ArrayList<>();
        try (InputStream in = LabelledSet.class.getResourceAsStream(RESOURCE);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Line parsed = json.readValue(line, Line.class);
                prompts.add(new LabelledPrompt(prompts.size() + 1, parsed.id(), parsed.text(), parsed.safety(), parsed.value(),
                        parsed.cultural(), SemanticType.fromJson(parsed.semanticType())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return prompts;
    }

    public static List<LabelledPrompt> tuning() {
        return all().stream().filter(LabelledPrompt::tuning).toList();
    }

    public static List<LabelledPrompt> heldOut() {
        return all().stream().filter(prompt -> !prompt.tuning()).toList();
    }
}
