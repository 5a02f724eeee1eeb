package io.misalignstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "misalign", mixinStandardHelpOptions = true, version = "misalign-stream 0.1.0",
        description = "misalign-stream: turn a stream of prompts into a labelled, deduplicated, paired misalignment data set.",
        subcommands = {IngestCommand.class, DedupCommand.class, ClassifyCommand.class, TopicsCommand.class, CoverageCommand.class, ExportCommand.class, AgreementCommand.class, EvalCommand.class, TaxonomyCommand.class, DevStackCommand.class, DemoCommand.class})
public final class MisalignCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new MisalignCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                // A wrong argument or a missing file is a message, not a stack trace.
                .setExecutionExceptionHandler((error, command, parsed) -> {
                    command.getErr().println("misalign " + command.getCommandName() + ": " + error.getMessage());
                    return 2;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
