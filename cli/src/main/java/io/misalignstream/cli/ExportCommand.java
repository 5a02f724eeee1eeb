package io.misalignstream.cli;

import io.misalignstream.cli.export.DatasetDownload;
import io.misalignstream.contracts.event.Split;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the dataset the sampler service stores as JSON Lines, one file per split (<split>.jsonl), "
                + "readable by the Hugging Face datasets JSON loader; the fields are described in docs/dataset.md.",
                "The API key comes from the environment variable MISALIGN_API_KEY (never an option, so that it stays out of "
                        + "shell histories and process lists). Progress goes to standard error."})
final class ExportCommand implements Callable<Integer> {

    static final String ENV_KEY = "MISALIGN_API_KEY";
    static final String ENV_URL = "MISALIGN_SAMPLER_URL";
    private static final long PROGRESS_NANOS = 2_000_000_000L;

    @Option(names = "--sampler-url", paramLabel = "URL", description = "The sampler service (default: $" + ENV_URL + ", else http://localhost:8084).")
    URI samplerUrl;

    @Option(names = "--split", paramLabel = "SPLIT", description = "train, validation or test; repeatable (default: all three).")
    List<String> splits = new ArrayList<>();

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where the files go (default: ${DEFAULT-VALUE}).")
    Path outputDir = Path.of("dataset");

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for the service to start answering (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 30;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;

    ExportCommand() {
        this(System.getenv());
    }

    ExportCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String key = environment.getOrDefault(ENV_KEY, "");
        if (key.isBlank()) {
            err.println("export: set " + ENV_KEY + " to one of the sampler service's API keys (its MISALIGN_API_KEYS)");
            return 2;
        }
        List<Split> chosen = new ArrayList<>();
        for (String split : splits) {
            try {
                chosen.add(Split.fromJson(split.toLowerCase(Locale.ROOT)));
            } catch (RuntimeException e) {
                err.println("export: --split " + split + ": " + e.getMessage());
                return 2;
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(List.of(Split.values()));
        }
        URI url = samplerUrl != null ? samplerUrl : URI.create(environment.getOrDefault(ENV_URL, "http://localhost:8084"));
        DatasetDownload download = new DatasetDownload(url, key, Duration.ofSeconds(timeoutSeconds));
        try {
            for (Split split : chosen) {
                long size = download.size(split);
                Path file = outputDir.resolve(split.json() + ".jsonl");
                long[] lastShown = {System.nanoTime()};
                long lines = download.download(split, file, written -> {
                    long now = System.nanoTime();
                    if (now - lastShown[0] >= PROGRESS_NANOS) {
                        lastShown[0] = now;
                        err.printf(Locale.ROOT, "export %s: %,d of %,d pairs%n", split.json(), written, size);
                        err.flush();
                    }
                });
                err.printf(Locale.ROOT, "export %s: %,d pairs written to %s%n", split.json(), lines, file);
                err.flush();
            }
        } catch (DatasetDownload.DatasetDownloadException e) {
            err.println("export: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
