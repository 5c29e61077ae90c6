package dev.pulse.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import java.util.List;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.util.stats.StatsSummarySnapshot;

/** Reads Flink's checkpoint statistics of a job into the benchmark's figures. */
final class CheckpointFigures {
    private CheckpointFigures() {}

    static RunResult.Checkpoints of(CheckpointStatsSnapshot stats) {
        RunResult.Checkpoints c = new RunResult.Checkpoints();
        if (stats == null) {
            return c;
        }
        c.completed = stats.getCounts().getNumberOfCompletedCheckpoints();
        c.failed = stats.getCounts().getNumberOfFailedCheckpoints();
        StatsSummarySnapshot duration = stats.getSummaryStats().getEndToEndDurationStats();
        if (duration.getCount() > 0) {
            c.durationP50Millis = Math.round(duration.getQuantile(0.5));
            c.durationMaxMillis = duration.getMaximum();
        }
        StatsSummarySnapshot size = stats.getSummaryStats().getStateSizeStats();
        c.maxStateBytes = size.getCount() > 0 ? size.getMaximum() : 0;
        StatsSummarySnapshot written = stats.getSummaryStats().getCheckpointedSize();
        c.maxCheckpointedBytes = written.getCount() > 0 ? written.getMaximum() : 0;
        return c;
    }

    /**
     * The state size of every operator with state in a savepoint, by uid (a task chains several operators; the
     * savepoint's metadata keeps each apart). Operators are matched to their uids by the hash Flink derives from
     * a uid.
     */
    static List<RunResult.TaskState> operatorStates(String savepoint, Collection<String> uids) throws IOException {
        Map<OperatorID, String> byId = new HashMap<>();
        for (String uid : uids) {
            byId.put(new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)), uid);
        }
        Path metadata = Path.of(URI.create(savepoint.endsWith("/") ? savepoint : savepoint + "/")).resolve("_metadata");
        CheckpointMetadata loaded;
        try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
            loaded = Checkpoints.loadCheckpointMetadata(in, CheckpointFigures.class.getClassLoader(), savepoint);
        }
        List<RunResult.TaskState> states = new ArrayList<>();
        for (OperatorState operator : loaded.getOperatorStates()) {
            if (operator.getStateSize() > 0) {
                states.add(new RunResult.TaskState(byId.getOrDefault(operator.getOperatorID(),
                        operator.getOperatorID().toString()), operator.getStateSize()));
            }
        }
        states.sort(java.util.Comparator.comparing(t -> t.task));
        return states;
    }
}
