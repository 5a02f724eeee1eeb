package io.misalignstream.cli;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.taxonomy.Domain;
import io.misalignstream.contracts.taxonomy.Taxonomy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import java.io.PrintWriter;

@Command(name = "taxonomy", mixinStandardHelpOptions = true,
        description = "Prints the taxonomy: every domain of the safety, value and cultural dimensions, and the semantic types.")
final class TaxonomyCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON: {dimensions: [{id, description, domains: [{id, name, sourceKey, description}]}], semanticTypes}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Taxonomy taxonomy = Taxonomy.standard();
        if (json) {
            List<Map<String, Object>> dimensions = new ArrayList<>();
            for (Dimension dimension : Dimension.values()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", dimension.json());
                entry.put("description", taxonomy.description(dimension));
                entry.put("domains", taxonomy.domains(dimension).stream().map(domain -> {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("id", domain.id());
                    d.put("name", domain.name());
                    d.put("sourceKey", domain.sourceKey());
                    d.put("description", domain.description());
                    return d;
                }).toList());
                dimensions.add(entry);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("version", taxonomy.version());
            document.put("dimensions", dimensions);
            document.put("semanticTypes", taxonomy.semanticTypes().stream()
                    .map(type -> Map.of("id", type.type().json(), "name", type.name(), "description", type.description())).toList());
            out.println(EventCodec.encodeToString(document));
            return 0;
        }
        out.printf("%-10s %-48s %-40s %s%n", "DIMENSION", "ID", "NAME", "DESCRIPTION");
        for (Dimension dimension : Dimension.values()) {
            for (Domain domain : taxonomy.domains(dimension)) {
                out.printf("%-10s %-48s %-40s %s%n", dimension.json(), domain.id(), domain.name(), domain.description());
            }
        }
        out.println();
        taxonomy.semanticTypes().forEach(type ->
                out.printf("%-10s %-48s %-40s %s%n", "semantic", type.type().json(), type.name(), type.description()));
        return 0;
    }
}
