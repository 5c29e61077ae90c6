package dev.pulse.jmh;

import dev.pulse.ingestion.AdmitEvents;
import dev.pulse.ingestion.EventParser;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.ZoneId;
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
 * The per-event path of the admission operator on RocksDB, as the job runs it: keyed by visitor, one state read
 * and one write per new event id (every event of ordinary traffic is new), visitors cycling through a pool so
 * each keeps a few recent ids as in real traffic. The output is cleared now and then so the harness does not hold
 * millions of records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdmitEventsBenchmark {
    private static final int VISITORS = 100_000;

    private KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> harness;
    private ClickEvent template;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AdmitEvents<ClickEvent>(Stream.CLICK, Period.MINUTE,
                        Duration.ofMinutes(2), Duration.ofMinutes(5), new BusinessTime(ZoneId.of("Asia/Shanghai")))),
                VisitorKeys::of, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
        EventParser<ClickEvent> parser = EventParser.forStream(Stream.CLICK, "CNY");
        template = parser.parse(ParseBenchmark.generatedLines(Stream.CLICK, 1)[0]).event;
    }

    @Benchmark
    public void newEventId() throws Exception {
        template.eventId = "c-" + Long.toHexString(sequence);
        template.userId = "u-" + (sequence++ % VISITORS);
        harness.processElement(new StreamRecord<>(template, template.eventTime.toEpochMilli()));
        if ((sequence & 0xFFFF) == 0) {
            harness.getOutput().clear();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }
}
