package io.misalignstream.deploycheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The Grafana dashboards of deploy/grafana/dashboards: their panels and the PromQL queries they run. */
record Dashboards(String file, JsonNode json) {

    static final Path FOLDER = ProjectFiles.path("deploy/grafana/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Dashboards> all() {
        Map<String, Dashboards> dashboards = new TreeMap<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).toList()) {
                dashboards.put(file.getFileName().toString(), new Dashboards(file.getFileName().toString(), JSON.readTree(file.toFile())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dashboards;
    }

    /** Every panel, rows' nested panels included. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        json.path("panels").forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        });
        return panels;
    }

    /** Every panel target's {@code expr} and every query variable's query. */
    List<String> queries() {
        List<String> queries = new ArrayList<>();
        panels().forEach(panel -> panel.path("targets").forEach(target -> {
            if (target.hasNonNull("expr")) {
                queries.add(target.get("expr").asText());
            }
        }));
        json.path("templating").path("list").forEach(variable -> {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(query.isObject() ? query.path("query").asText() : query.asText());
            }
        });
        return queries;
    }
}
