package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Stacks as JFR recorded them in a `pulse` run (innermost first, shortened), each told apart. */
class StackActivityTest {
    private static final String TIMERS = "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl.";
    private static final String TASK_INPUT =
            "org.apache.flink.streaming.runtime.io.AbstractStreamTaskNetworkInput.emitNext";
    private static final String KEYED_OPERATOR = "org.apache.flink.streaming.api.operators.KeyedProcessOperator.";

    @Test
    void aTimerRegisteredIsNotKeyedStateThoughTheTimersLiveInRocksDb() {
        assertThat(StackActivity.of(List.of(
                "java.util.TreeMap.put",
                "org.apache.flink.state.rocksdb.TreeOrderedSetCache.add",
                "org.apache.flink.state.rocksdb.RocksDBCachingPriorityQueueSet.add",
                TIMERS + "registerEventTimeTimer",
                "dev.pulse.ingestion.AdmitEvents.processElement",
                KEYED_OPERATOR + "processElement",
                TASK_INPUT))).isEqualTo(StackActivity.TIMERS_REGISTERED);
    }

    @Test
    void whatATimersCallbackDoesIsPartOfFiringIt() {
        assertThat(StackActivity.of(List.of(
                "org.rocksdb.RocksDB.get",
                "org.apache.flink.state.rocksdb.AbstractRocksDBState.getInternal",
                "org.apache.flink.state.rocksdb.RocksDBValueState.value",
                "dev.pulse.ingestion.AdmitAds.onTimer",
                KEYED_OPERATOR + "onEventTime",
                TIMERS + "tryAdvanceWatermark",
                "org.apache.flink.streaming.api.operators.AbstractStreamOperator.emitWatermarkDirectly")))
                .isEqualTo(StackActivity.TIMERS_FIRING);
    }

    @Test
    void aStateReadInAnOperator() {
        assertThat(StackActivity.of(List.of(
                "org.rocksdb.RocksDB.get",
                "org.apache.flink.state.rocksdb.AbstractRocksDBState.getInternal",
                "org.apache.flink.state.rocksdb.RocksDBValueState.value",
                "dev.pulse.users.VisitorActivity.processElement",
                KEYED_OPERATOR + "processElement",
                TASK_INPUT))).isEqualTo(StackActivity.KEYED_STATE);
    }

    @Test
    void theCheckpointsSynchronousPartWinsOverWhatItTouches() {
        assertThat(StackActivity.of(List.of(
                "org.apache.flink.state.rocksdb.snapshot.RocksDBSnapshotStrategyBase.syncPrepareResources",
                "org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend.snapshot",
                "org.apache.flink.streaming.runtime.tasks.SubtaskCheckpointCoordinatorImpl.checkpointState",
                "org.apache.flink.streaming.runtime.tasks.StreamTask.performCheckpoint",
                "org.apache.flink.streaming.runtime.io.checkpointing.CheckpointedInputGate.pollNext",
                TASK_INPUT))).isEqualTo(StackActivity.CHECKPOINT);
    }

    @Test
    void inTheSourcesParsingAndSendingAreToldFromTheRestOfTheChain() {
        String deserializer = "dev.pulse.ingestion.ParsingKafkaDeserializer.deserialize";
        String emitter = "org.apache.flink.connector.kafka.source.reader.KafkaRecordEmitter.emitRecord";
        assertThat(StackActivity.of(List.of(
                "com.fasterxml.jackson.core.json.UTF8StreamJsonParser.nextFieldName",
                "dev.pulse.ingestion.FastEventReader.read",
                "dev.pulse.ingestion.EventParser.parse",
                deserializer, emitter))).isEqualTo(StackActivity.PARSING);
        assertThat(StackActivity.of(List.of(
                "dev.pulse.model.EventFields.writeString",
                "org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer.serialize",
                "org.apache.flink.runtime.io.network.api.writer.RecordWriter.emit",
                "org.apache.flink.streaming.runtime.io.RecordWriterOutput.collect",
                "dev.pulse.ingestion.SplitValidEvents.processElement",
                deserializer, emitter))).isEqualTo(StackActivity.RECORDS_OUT);
        assertThat(StackActivity.of(List.of(
                "dev.pulse.ingestion.SplitValidEvents.processElement",
                deserializer, emitter))).isEqualTo(StackActivity.OTHER);
    }

    @Test
    void recordsReadOffTheNetworkAndKafkasOwnWork() {
        assertThat(StackActivity.of(List.of(
                "dev.pulse.model.EventFields.readString",
                "dev.pulse.model.ClickEventSerializer.deserialize",
                "org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer.deserialize",
                "org.apache.flink.runtime.io.network.api.serialization.NonSpanningWrapper.readInto",
                TASK_INPUT))).isEqualTo(StackActivity.RECORDS_IN);
        assertThat(StackActivity.of(List.of(
                "org.apache.kafka.clients.producer.internals.Sender.runOnce",
                "org.apache.kafka.clients.producer.internals.Sender.run"))).isEqualTo(StackActivity.KAFKA);
        assertThat(StackActivity.of(List.of())).isEqualTo(StackActivity.OTHER);
    }

    @Test
    void aChainIsNamedAfterItsFirstOperatorWhicheverSubtaskRunsIt() {
        assertThat(StackActivity.chainOf("admit-ad -> (ads-partial -> (ad-combinations), ad-clicks) (1/2)#0"))
                .isEqualTo("admit-ad");
        assertThat(StackActivity.chainOf("Source: kafka-ad -> validate-ad (2/2)#0")).isEqualTo("Source: kafka-ad");
        assertThat(StackActivity.chainOf("risk-user-rules-final (1/2)#0")).isEqualTo("risk-user-rules-final");
        assertThat(StackActivity.chainOf("kafka-producer-network-thread | producer-7"))
                .isEqualTo("kafka-producer-network-thread | producer-7");
    }
}
