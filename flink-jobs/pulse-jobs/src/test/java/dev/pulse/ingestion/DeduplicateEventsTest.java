package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.ClickEvent;
import dev.pulse.model.InputEvent;
import dev.pulse.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DeduplicateEventsTest {
    private static final Instant T0 = Instant.parse("2026-11-11T00:00:00Z");

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents<ClickEvent>(Duration.ofMinutes(10))),
                InputEvent::eventId, Types.STRING);
    }

    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, ClickEvent> h) {
        return h.extractOutputValues().stream().map(e -> e.eventId).collect(Collectors.toList());
    }

    @Test
    void dropsASecondCopyOfAnEventId() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            h.processElement(Events.pageView("b", T0, "organic", "app"), T0.toEpochMilli());
            h.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            h.processElement(Events.pageView("a", T0.plusSeconds(5), "search", "web"), T0.toEpochMilli() + 5000);
            assertThat(ids(h)).containsExactly("a", "b");
        }
    }

    @Test
    void forgetsAnIdAfterTheHorizon() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            h.setStateTtlProcessingTime(Duration.ofMinutes(10).toMillis() - 1);
            h.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            h.setStateTtlProcessingTime(Duration.ofMinutes(10).toMillis());
            h.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            assertThat(ids(h)).containsExactly("a", "a");
        }
    }

    @Test
    void remembersSeenIdsAcrossARestoreFromACheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(Events.pageView("a", T0, "organic", "app"), T0.toEpochMilli());
            restored.processElement(Events.pageView("c", T0, "organic", "app"), T0.toEpochMilli());
            assertThat(ids(restored)).containsExactly("c");
        }
    }
}
