package dev.pulse.pipeline;

import dev.pulse.config.PulseSettings;
import dev.pulse.kafka.KafkaInputs;
import dev.pulse.kafka.KafkaOutputs;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The metrics job: the three input topics in, final values (exactly-once), running updates and dead letters
 * out. Options: every {@code pulse.*} option in {@link dev.pulse.config.PulseOptions} (topics, bootstrap servers,
 * time zone, watermarks, lateness, de-duplication horizon, update interval, checkpoint interval and directory,
 * parallelism); Flink's own options pass through.
 */
public final class MetricsJob {
    public static final String NAME = "pulse-metrics";

    private MetricsJob() {}

    /**
     * RocksDB with incremental checkpoints, bloom filters and its timers in RocksDB too, exactly-once checkpointing
     * retained on cancellation, bounded exponential restarts; objects reused between chained operators (none of ours
     * changes its input) and no Kryo: every type has a Flink serializer, and one that would fall back to Kryo fails
     * when the job is built.
     */
    public static Configuration flinkConfiguration(PulseSettings settings) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        // measured (BENCHMARKS.md, 2026-12-07): with a million visitors' cleanup timers on the heap a killed task
        // took 84 s to catch up, reading them back one by one; in RocksDB 7.8 s, at the same throughput
        conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        // measured (BENCHMARKS.md, 2026-12-07, evening): most ad visitors come once, so most state reads ask for a
        // key that is not there; bloom filters answer those without reading the files: the ad admission -30 % CPU
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir);
        conf.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, true);
        // a cancelled job, or one whose JobManager is lost without HA, restarts from its latest checkpoint
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofMinutes(1));
        return conf;
    }

    /** Adds the job to the environment: Kafka sources, the workflow, Kafka sinks. */
    public static void attach(StreamExecutionEnvironment env, PulseSettings settings) {
        attach(env, settings, KafkaInputs.Range.unbounded(settings));
    }

    public static void attach(StreamExecutionEnvironment env, PulseSettings settings, KafkaInputs.Range range) {
        env.setParallelism(settings.parallelism);
        PulseOutputs outputs = PulseWorkflow.build(KafkaInputs.create(env, settings, range), settings);
        KafkaOutputs.attach(outputs, settings);
    }
}
