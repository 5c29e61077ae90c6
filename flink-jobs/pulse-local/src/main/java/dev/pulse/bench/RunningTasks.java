package dev.pulse.bench;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/**
 * Whether a job and every one of its tasks run: what a timed run, a savepoint and a recovery wait for (a job
 * reported RUNNING may still be deploying or restoring some of its tasks).
 */
final class RunningTasks {
    private RunningTasks() {}

    static boolean all(AccessExecutionGraph graph) {
        return allSince(graph, 0);
    }

    /** Every task runs, in an attempt numbered at least {@code attempt} (one more with every restart). */
    static boolean allSince(AccessExecutionGraph graph, int attempt) {
        if (graph.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING
                    || v.getCurrentExecutionAttempt().getAttemptNumber() < attempt) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every task runs; fails once the job has ended or {@link System#nanoTime} passes the deadline. */
    static void await(MiniCluster cluster, JobID job, long deadlineNanos) throws Exception {
        while (!all(cluster.getExecutionGraph(job).get(1, TimeUnit.MINUTES))) {
            JobStatus status = cluster.getJobStatus(job).get();
            if (System.nanoTime() > deadlineNanos || status.isGloballyTerminalState()) {
                throw new IllegalStateException("the job's tasks are not all running: " + status);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
