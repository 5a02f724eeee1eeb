package io.misalignstream.inference.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.SemanticType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Example requests per domain ({@code domain-examples.json}, written by the project): a domain's
 * description says what the domain is, its examples say how users ask about it, which is what a prompt's
 * embedding is close to. Never drawn from the labelled evaluation set.
 */
public final class DomainExamples {

    private static final String RESOURCE = "domain-examples.json";

    private final JsonNode root;

    private DomainExamples(JsonNode root) {
        this.root = root;
    }

    public static DomainExamples shipped() {
        try (InputStream in = DomainExamples.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the inference module");
            }
            return new DomainExamples(EventCodec.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        return root.path("version").asText("0");
    }

    List<String> of(Dimension dimension, String domain) {
        return texts(root.path(dimension.json()).path(domain));
    }

    List<String> of(SemanticType type) {
        return texts(root.path("semanticTypes").path(type.json()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(text -> texts.add(text.asText()));
        return texts;
    }
}
