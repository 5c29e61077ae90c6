package dev.pulse.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster the pipeline tests run on: one TaskManager with two slots, for parallelism 2. */
public final class TestClusters {
    private TestClusters() {}

    public static MiniClusterExtension parallelismTwo() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());
    }
}
