package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.json.Json;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Admission keyed by visitor: too late, duplicates, the id horizon, its timers and checkpoints. */
@Timeout(60)
class AdmitEventsTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z"); // 00:00 in Shanghai
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration HORIZON = Duration.ofMinutes(5);

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AdmitEvents<ClickEvent>(Stream.CLICK, Period.MINUTE, LATENESS, HORIZON,
                        new BusinessTime(ZoneId.of("Asia/Shanghai")))),
                VisitorKeys::of, Types.STRING);
    }

    /** A page view of one visitor (all test events share it unless said otherwise). */
    private static void send(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> h, String id,
                             Instant t) throws Exception {
        ClickEvent e = Events.pageView(id, t, "organic", "app");
        e.userId = "visitor";
        h.processElement(e, t.toEpochMilli());
    }

    private static List<String> admitted(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> h) {
        return h.extractOutputValues().stream().map(e -> e.eventId).collect(Collectors.toList());
    }

    private static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> h) {
        var side = h.getSideOutput(DeadLetters.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void admitsEachIdOnceAndEverythingBeforeTheFirstWatermark() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "a", MIDNIGHT);
            send(h, "b", MIDNIGHT);
            send(h, "a", MIDNIGHT.plusSeconds(5));
            send(h, "old", Instant.parse("2017-11-25T00:00:00Z"));
            assertThat(admitted(h)).containsExactly("a", "b", "old");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void deadLettersWhatIsTooLateForItsMinuteAndAdmitsLateEventsWithinTheLateness() throws Exception {
        try (var h = harness()) {
            h.open();
            // minute 00:00 is final for good once the watermark reaches 00:02:59.999 (its end - 1 ms + 2 min)
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(3)).toEpochMilli() - 2);
            send(h, "in-time", MIDNIGHT.plusSeconds(185));
            send(h, "late-but-admitted", MIDNIGHT.plusSeconds(30));
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(3)).toEpochMilli() - 1);
            send(h, "too-late", MIDNIGHT.plusSeconds(59));
            send(h, "late-next-minute", MIDNIGHT.plusSeconds(60));

            assertThat(admitted(h)).containsExactly("in-time", "late-but-admitted", "late-next-minute");
            ClickEvent tooLate = Events.pageView("too-late", MIDNIGHT.plusSeconds(59), "organic", "app");
            tooLate.userId = "visitor";
            assertThat(deadLetters(h)).containsExactly(new DeadLetter(Stream.CLICK, DeadLetterReason.TOO_LATE,
                    "event minute ended 2026-11-11T00:01:00+08:00, more than the allowed lateness PT2M before the "
                            + "watermark 2026-11-11T00:02:59.999+08:00",
                    Json.write(tooLate), "2026-11-11T00:00:59+08:00"));
        }
    }

    @Test
    void aCopyOfALateEventSentAfterItsLatenessIsADuplicateNotTooLate() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(2)).toEpochMilli());
            send(h, "late", MIDNIGHT.plusSeconds(30)); // admitted: its minute closed 1 min ago
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(4)).toEpochMilli()); // now too late...
            send(h, "late", MIDNIGHT.plusSeconds(30)); // ...but remembered: dropped as a duplicate
            assertThat(admitted(h)).containsExactly("late");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void forgetsIdsAtTheHorizonAndThenHoldsNoStateOrTimers() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "a", MIDNIGHT.plusSeconds(10));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // remembered until 00:01 - 1 ms + 2 min lateness + 5 min horizon
            long forgetAt = MIDNIGHT.plus(Duration.ofMinutes(8)).toEpochMilli() - 1;
            h.processWatermark(forgetAt - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(forgetAt);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            // a copy now is too late, and reported so
            send(h, "a", MIDNIGHT.plusSeconds(10));
            assertThat(deadLetters(h)).extracting(d -> d.reason).containsExactly(DeadLetterReason.TOO_LATE);
        }
    }

    @Test
    void aNewerIdKeepsTheVisitorsStateUntilItTooIsForgotten() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "a", MIDNIGHT.plusSeconds(10));
            send(h, "b", MIDNIGHT.plusSeconds(130)); // minute 00:02: forgotten two minutes later than "a"
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(8)).toEpochMilli()); // "a" forgotten, "b" not
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            send(h, "b", MIDNIGHT.plusSeconds(130));
            assertThat(admitted(h)).containsExactly("a", "b");
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(10)).toEpochMilli());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void keepsTheNewestIdsOfAVisitorWithTooManyInTheHorizon() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i <= AdmitEvents.MAX_REMEMBERED; i++) {
                send(h, "id-" + i, MIDNIGHT.plusMillis(i));
            }
            h.getOutput().clear();
            send(h, "id-0", MIDNIGHT); // the oldest was let go to make room
            send(h, "id-" + AdmitEvents.MAX_REMEMBERED, MIDNIGHT); // the newest is remembered
            assertThat(admitted(h)).containsExactly("id-0");
        }
    }

    @Test
    void remembersIdsAcrossARestoreFromACheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            send(h, "a", MIDNIGHT);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            send(restored, "a", MIDNIGHT);
            send(restored, "c", MIDNIGHT);
            assertThat(admitted(restored)).containsExactly("c");
        }
    }

    @Test
    void visitorsAreTheUserOrElseTheDevice() {
        ClickEvent anonymous = Events.pageView("x", MIDNIGHT, "organic", "app");
        anonymous.userId = null;
        anonymous.deviceId = "d-1";
        ClickEvent known = Events.pageView("y", MIDNIGHT, "organic", "app");
        known.userId = "u-1";
        assertThat(List.<InputEvent>of(anonymous, known).stream().map(VisitorKeys::of)).containsExactly("d:d-1", "u:u-1");
    }
}
