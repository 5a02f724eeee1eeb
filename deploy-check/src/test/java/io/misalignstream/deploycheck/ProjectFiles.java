package io.misalignstream.deploycheck;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The project's files, read relative to the project root (the module's parent folder). */
final class ProjectFiles {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The five services, in flow order. */
    static final List<String> SERVICES = List.of(
            "classifier-service", "expander-service", "dedup-service", "sampler-service", "evaluator-service");

    private ProjectFiles() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service's application.properties, every profile's keys included as written ({@code %test.x}). */
    static Properties applicationProperties(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path(service + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static int httpPort(String service) {
        return Integer.parseInt(applicationProperties(service).getProperty("quarkus.http.port"));
    }
}
