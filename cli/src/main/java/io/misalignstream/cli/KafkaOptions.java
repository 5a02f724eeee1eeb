package io.misalignstream.cli;

import io.misalignstream.devstack.DevStack;
import picocli.CommandLine.Option;

/** Where the Kafka cluster is: the option, else the environment, else a running local devstack, else localhost:9092. */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, then the devstack started by "
                    + "'misalign devstack', then localhost:9092).")
    String bootstrapServers;

    String resolve() {
        return LocalDevStackFile.resolve(bootstrapServers, DevStack.ENV_KAFKA, "localhost:9092");
    }
}
