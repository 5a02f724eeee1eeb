package io.misalignstream.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** What the service benchmarks read the same way: a Prometheus sample by name, and CPU time of a process. */
final class ServiceMetrics {

    private ServiceMetrics() {
    }

    /**
     * The value of the first sample whose line starts with {@code prefix} followed by a space or a label set; a prefix
     * that ends inside a label set (with a quote) matches as it stands. NaN when there is none.
     */
    static double metric(String metrics, String prefix) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix + " ") || line.startsWith(prefix + "{") || (prefix.endsWith("\"") && line.startsWith(prefix))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** CPU time of a process so far, in nanoseconds. */
    static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** CPU time of this JVM so far, in nanoseconds. */
    static long ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
