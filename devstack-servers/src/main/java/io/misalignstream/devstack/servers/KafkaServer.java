package io.misalignstream.devstack.servers;

import io.misalignstream.contracts.event.EventLimits;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A single combined KRaft node (broker + controller) on an ephemeral loopback port. */
final class KafkaServer implements ManagedServer {

    private final Path dataDir;
    private final Path logFile;
    private final int defaultPartitions;
    private KafkaClusterTestKit cluster;

    KafkaServer(Path dataDir, Path logFile, int defaultPartitions) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.defaultPartitions = defaultPartitions;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(dataDir)
                .build();
        try {
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    // Topics are created explicitly by the devstack: a misspelt topic fails loudly.
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("num.partitions", String.valueOf(defaultPartitions))
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "10")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("log.segment.bytes", String.valueOf(64 * 1024 * 1024))
                    // the record limit every producer is set to, as in docker-compose and deploy/
                    .setConfigProp("message.max.bytes", String.valueOf(EventLimits.KAFKA_MAX_MESSAGE_BYTES))
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new ServerStartException(name(), logFile, String.valueOf(e.getMessage()), e);
        }
    }

    @Override
    public Map<String, String> endpoints() {
        return Map.of("kafka.bootstrap.servers", cluster.bootstrapServers());
    }

    @Override
    public Map<String, Long> externalPids() {
        return Map.of();
    }

    @Override
    public void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                System.err.println("kafka: error while stopping: " + e);
            }
            cluster = null;
        }
    }
}
