package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.json.Json;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LateEventFilterTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z"); // 00:00 in Shanghai

    private static OneInputStreamOperatorTestHarness<ClickEvent, ClickEvent> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new LateEventFilter<ClickEvent>(
                Stream.CLICK, Duration.ofMinutes(2), new BusinessTime(ZoneId.of("Asia/Shanghai")))));
    }

    private static void send(OneInputStreamOperatorTestHarness<ClickEvent, ClickEvent> h, String id, Instant t)
            throws Exception {
        h.processElement(Events.pageView(id, t, "organic", "app"), t.toEpochMilli());
    }

    @Test
    void passesEventsWhoseMinuteClosedWithinTheAllowedLatenessAndDeadLettersTheRest() throws Exception {
        try (var h = harness()) {
            h.open();
            // the minute 00:00 closed at 00:01; with 2 min lateness it is final for good once the watermark
            // reaches 00:02:59.999 (window max timestamp 00:00:59.999 + 2 min)
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(3)).toEpochMilli() - 2);
            send(h, "in-time", MIDNIGHT.plusSeconds(185));
            send(h, "late-but-accepted", MIDNIGHT.plusSeconds(30));
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(3)).toEpochMilli() - 1);
            send(h, "too-late", MIDNIGHT.plusSeconds(59));
            send(h, "late-next-minute", MIDNIGHT.plusSeconds(60));

            assertThat(h.extractOutputValues().stream().map(e -> e.eventId).collect(Collectors.toList()))
                    .containsExactly("in-time", "late-but-accepted", "late-next-minute");
            List<DeadLetter> deadLetters = h.getSideOutput(DeadLetters.TAG).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            ClickEvent tooLate = Events.pageView("too-late", MIDNIGHT.plusSeconds(59), "organic", "app");
            assertThat(deadLetters).containsExactly(new DeadLetter(Stream.CLICK, DeadLetterReason.TOO_LATE,
                    "event minute ended 2026-11-11T00:01:00+08:00, more than the allowed lateness PT2M before the "
                            + "watermark 2026-11-11T00:02:59.999+08:00",
                    Json.write(tooLate), "2026-11-11T00:00:59+08:00"));
        }
    }

    @Test
    void passesEverythingBeforeTheFirstWatermark() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "old", Instant.parse("2017-11-25T00:00:00Z"));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getSideOutput(DeadLetters.TAG)).isNull();
        }
    }
}
