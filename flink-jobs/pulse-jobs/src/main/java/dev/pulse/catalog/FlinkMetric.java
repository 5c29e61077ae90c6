package dev.pulse.catalog;

/**
 * Flink's own metrics, as its Prometheus reporter serves them, that the pipeline-health dashboard and the alert
 * rules read: named here so that a dashboard or a rule naming anything else fails the build, and so that the
 * local-stack test can check each name against a real reporter. The job's own counters are {@link JobMetric}.
 */
public enum FlinkMetric {
    CURRENT_INPUT_WATERMARK("flink_taskmanager_job_task_operator_currentInputWatermark",
            "Event-time watermark an operator has seen, epoch milliseconds"),
    PENDING_RECORDS("flink_taskmanager_job_task_operator_pendingRecords",
            "Records of the Kafka source's partitions not read yet: the consumer lag"),
    BACKPRESSURED_TIME("flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
            "Milliseconds per second a task waited for buffers downstream (backpressure)"),
    COMPLETED_CHECKPOINTS("flink_jobmanager_job_numberOfCompletedCheckpoints", "Checkpoints completed"),
    FAILED_CHECKPOINTS("flink_jobmanager_job_numberOfFailedCheckpoints", "Checkpoints failed"),
    LAST_CHECKPOINT_DURATION("flink_jobmanager_job_lastCheckpointDuration",
            "Duration of the latest completed checkpoint, milliseconds"),
    LAST_CHECKPOINT_SIZE("flink_jobmanager_job_lastCheckpointSize", "Size of the latest completed checkpoint, bytes"),
    RESTARTS("flink_jobmanager_job_numRestarts", "Restarts of the job since it was submitted");

    private final String prometheusName;
    private final String help;

    FlinkMetric(String prometheusName, String help) {
        this.prometheusName = prometheusName;
        this.help = help;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String help() {
        return help;
    }
}
