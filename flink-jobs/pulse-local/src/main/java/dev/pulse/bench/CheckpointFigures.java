package dev.pulse.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
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

    /** The state size of every task with state in one completed checkpoint. */
    static List<RunResult.TaskState> taskStates(AccessExecutionGraph graph, long checkpointId) {
        AbstractCheckpointStats checkpoint = graph.getCheckpointStatsSnapshot().getHistory()
                .getCheckpointById(checkpointId);
        if (!(checkpoint instanceof CompletedCheckpointStats)) {
            throw new IllegalStateException("checkpoint " + checkpointId + " did not complete: "
                    + (checkpoint == null ? "not in the history" : checkpoint.getStatus()));
        }
        List<RunResult.TaskState> states = new ArrayList<>();
        for (AccessExecutionJobVertex vertex : graph.getVerticesTopologically()) {
            TaskStateStats task = checkpoint.getTaskStateStats(vertex.getJobVertexId());
            if (task != null && task.getStateSize() > 0) {
                states.add(new RunResult.TaskState(vertex.getName(), task.getStateSize()));
            }
        }
        return states;
    }
}
