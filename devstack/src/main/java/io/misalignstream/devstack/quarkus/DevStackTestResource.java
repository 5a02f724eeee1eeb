package io.misalignstream.devstack.quarkus;

import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Real Kafka, Redis and PostgreSQL for a {@code @QuarkusTest}: {@code @QuarkusTestResource(DevStackTestResource.class)}.
 * The init argument {@code partitions} sets the topics' partition count.
 */
public class DevStackTestResource implements QuarkusTestResourceLifecycleManager {

    private DevStackOptions options = DevStackOptions.defaults();
    private DevStack devStack;

    @Override
    public void init(Map<String, String> initArgs) {
        String partitions = initArgs.get("partitions");
        if (partitions != null) {
            options = options.withPartitions(Integer.parseInt(partitions));
        }
    }

    @Override
    public Map<String, String> start() {
        devStack = DevStack.start(options);
        return devStack.endpoints().quarkusConfig();
    }

    @Override
    public void stop() {
        if (devStack != null) {
            devStack.close();
            devStack = null;
        }
    }
}
