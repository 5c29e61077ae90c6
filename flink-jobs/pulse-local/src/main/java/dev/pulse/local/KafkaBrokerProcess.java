package dev.pulse.local;

import kafka.tools.StorageTool;

/**
 * Main class of the broker's child JVM: formats the log directory (unless already formatted: a restart) as a
 * single-node KRaft quorum, runs {@code kafka.Kafka}, and ends the broker when the parent process is gone, so
 * that a parent killed with SIGKILL (which runs no shutdown hook) still leaves no orphan broker behind.
 *
 * <p>Arguments: the parent's process id, the cluster id, the path of server.properties.
 */
public final class KafkaBrokerProcess {
    private KafkaBrokerProcess() {}

    public static void main(String[] args) {
        long parentPid = Long.parseLong(args[0]);
        String clusterId = args[1];
        String serverProperties = args[2];
        // System.exit runs Kafka's own shutdown hook, which closes the logs cleanly
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(1)),
                () -> System.exit(1));
        // formatting here rather than in the parent keeps the broker's classes out of the parent JVM
        int formatted = StorageTool.execute(
                new String[] {"format", "--cluster-id", clusterId, "--config", serverProperties, "--standalone",
                        // a restarted broker keeps its formatted log directory (and the cluster id in it)
                        "--ignore-formatted"},
                System.out);
        if (formatted != 0) {
            System.exit(formatted);
        }
        kafka.Kafka.main(new String[] {serverProperties});
    }
}
