package dev.pulse.jmh;

import dev.pulse.ingestion.DeduplicateEvents;
import dev.pulse.ingestion.EventParser;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event path of the de-duplication operator on RocksDB, as the job runs it: one state read and one write
 * per new event id (every event of ordinary traffic is new). The operator's output is cleared between iterations
 * so the harness does not hold millions of records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeduplicateBenchmark {
    private KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> harness;
    private ClickEvent template;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents<ClickEvent>(Duration.ofHours(1))),
                InputEvent::eventId, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        EventParser<ClickEvent> parser = EventParser.forStream(Stream.CLICK, "CNY");
        template = parser.parse(ParseBenchmark.generatedLines(Stream.CLICK, 1)[0]).event;
    }

    @Benchmark
    public void newEventId() throws Exception {
        template.eventId = "c-" + Long.toHexString(sequence++);
        harness.processElement(new StreamRecord<>(template, 0));
        if ((sequence & 0xFFFF) == 0) {
            harness.getOutput().clear();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }
}
