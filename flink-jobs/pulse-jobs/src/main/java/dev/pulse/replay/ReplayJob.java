package dev.pulse.replay;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.json.Json;
import dev.pulse.kafka.KafkaInputs;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.PulseInputs;
import dev.pulse.pipeline.PulseOutputs;
import dev.pulse.pipeline.PulseWorkflow;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The metrics workflow over bounded input: JSON-lines files or a range of the Kafka topics. In batch execution
 * (the default) Flink orders each key's events by time, so nothing is late and the values equal a batch
 * recomputation however disordered the input; streaming execution reproduces what the live job does, with
 * watermarks and too-late events.
 */
public final class ReplayJob {
    private ReplayJob() {}

    /** JSON-lines files, one per stream; a null path is a stream left out. */
    public static final class Files {
        final Path clicks;
        final Path orders;
        final Path ads;

        public Files(Path clicks, Path orders, Path ads) {
            this.clicks = clicks;
            this.orders = orders;
            this.ads = ads;
        }
    }

    public static StreamExecutionEnvironment environment(PulseSettings settings, boolean batch) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        env.setParallelism(settings.parallelism);
        return env;
    }

    public static DataStream<ReplayRecord> fromFiles(StreamExecutionEnvironment env, Files files,
                                                     PulseSettings settings) {
        PulseInputs inputs = new PulseInputs(
                Ingestion.<ClickEvent>parseLines(lines(env, files.clicks, Stream.CLICK), Stream.CLICK, settings),
                Ingestion.<OrderEvent>parseLines(lines(env, files.orders, Stream.ORDER), Stream.ORDER, settings),
                Ingestion.<AdEvent>parseLines(lines(env, files.ads, Stream.AD), Stream.AD, settings));
        return records(PulseWorkflow.build(inputs, settings));
    }

    public static DataStream<ReplayRecord> fromKafka(StreamExecutionEnvironment env, KafkaInputs.Range range,
                                                     PulseSettings settings) {
        return records(PulseWorkflow.build(KafkaInputs.create(env, settings, range), settings));
    }

    /** Final values, dead letters and alerts as one stream (running updates are not part of a replay). */
    static DataStream<ReplayRecord> records(PulseOutputs outputs) {
        DataStream<ReplayRecord> values = outputs.finalValues
                .map(m -> new ReplayRecord(ReplayRecord.METRIC, m.seriesWindowKey(),
                        OffsetDateTime.parse(m.windowStart).toInstant().toEpochMilli(), Json.write(m)))
                // in the final values' own subtask: a rebalance would let a correction overtake the value it corrects
                .setParallelism(outputs.finalValues.getParallelism())
                .uid("replay-values").name("replay-values");
        DataStream<ReplayRecord> deadLetters = outputs.deadLetters
                .map(d -> new ReplayRecord(ReplayRecord.DEAD_LETTER, null, 0L, Json.write(d)))
                .uid("replay-dead-letters").name("replay-dead-letters");
        if (outputs.alerts == null) {
            return values.union(deadLetters);
        }
        DataStream<ReplayRecord> alerts = outputs.alerts
                .map(a -> new ReplayRecord(ReplayRecord.ALERT, a.alertId, Instant.parse(a.firedAt).toEpochMilli(),
                        Json.write(a)))
                .uid("replay-alerts").name("replay-alerts");
        return values.union(deadLetters, alerts);
    }

    private static DataStream<String> lines(StreamExecutionEnvironment env, Path file, Stream stream) {
        if (file == null) {
            return null;
        }
        String name = "file-" + stream.code();
        FileSource<String> source = FileSource
                .forRecordStreamFormat(new TextLineInputFormat(), new org.apache.flink.core.fs.Path(file.toUri()))
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), name).uid(name).name(name);
    }
}
