package dev.pulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.ClickEvent;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Partial sums before the shuffle: what they add up, and that none is held past a watermark or a barrier. */
@Timeout(60)
class PreAggregateTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z");
    private static final long MINUTE_0 = MIDNIGHT.toEpochMilli();
    private static final long MINUTE_1 = MINUTE_0 + 60_000;

    /** Counts page views by channel; product views also add their own second sum. */
    private static OneInputStreamOperatorTestHarness<ClickEvent, PartialSums> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new PreAggregate<ClickEvent>((e, to) -> {
            if (e.countsAsPageView()) {
                to.add(e.channel, 1, e.eventType.equals("product_view") ? 1 : 0);
            }
        }, Period.MINUTE, new BusinessTime(ZoneId.of("Asia/Shanghai"))));
    }

    private static void send(OneInputStreamOperatorTestHarness<ClickEvent, PartialSums> h, String type, String channel,
                             long at) throws Exception {
        h.processElement(Events.click("e" + at + channel + type, Instant.ofEpochMilli(at), type, channel, "app"), at);
    }

    private static List<Object> output(OneInputStreamOperatorTestHarness<ClickEvent, PartialSums> h) {
        List<Object> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            out.add(o instanceof StreamRecord<?> r ? r.getValue() + " at " + r.getTimestamp() : o);
        }
        return out;
    }

    @Test
    void sendsTheSumsOfEachKeyAndMinuteBeforeTheWatermarkThatFollowsThem() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "page_view", "organic", MINUTE_0 + 1_000);
            send(h, "product_view", "organic", MINUTE_0 + 2_000);
            send(h, "add_to_cart", "organic", MINUTE_0 + 3_000);
            send(h, "page_view", "search", MINUTE_0 + 4_000);
            send(h, "page_view", "organic", MINUTE_1 + 1_000);
            assertThat(h.getOutput()).isEmpty();

            h.processWatermark(MINUTE_1);
            List<Object> out = output(h);
            assertThat(out.subList(0, 3)).containsExactlyInAnyOrder(
                    new PartialSums("organic", MINUTE_0, new long[] {2, 1}) + " at " + MINUTE_0,
                    new PartialSums("search", MINUTE_0, new long[] {1, 0}) + " at " + MINUTE_0,
                    new PartialSums("organic", MINUTE_1, new long[] {1, 0}) + " at " + MINUTE_1);
            assertThat(out.get(3)).isEqualTo(new Watermark(MINUTE_1));
            assertThat(out).hasSize(4);

            h.processWatermark(MINUTE_1 + 1); // nothing buffered: only the watermark
            assertThat(output(h)).hasSize(5);
        }
    }

    @Test
    void sendsWhatItHoldsBeforeACheckpointBarrierAndKeepsNoState() throws Exception {
        try (var h = harness()) {
            h.open();
            send(h, "page_view", "organic", MINUTE_0);
            h.prepareSnapshotPreBarrier(1);
            assertThat(output(h)).containsExactly(new PartialSums("organic", MINUTE_0, new long[] {1, 0}) + " at "
                    + MINUTE_0);
            assertThat(h.snapshot(1, 1).getManagedOperatorState()).isEmpty();
        }
    }

    @Test
    void sendsWhatItHoldsOnItsTimerWhileTheWatermarkStandsStill() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            send(h, "page_view", "organic", MINUTE_0);
            h.setProcessingTime(PreAggregate.FLUSH_INTERVAL_MS - 1);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(PreAggregate.FLUSH_INTERVAL_MS);
            assertThat(output(h)).hasSize(1);
            send(h, "page_view", "organic", MINUTE_0);
            h.setProcessingTime(2 * PreAggregate.FLUSH_INTERVAL_MS);
            assertThat(output(h)).hasSize(2);
        }
    }

    @Test
    void sendsWhatItHoldsAtTheEndOfInput() throws Exception {
        var h = harness();
        h.open();
        send(h, "page_view", "organic", MINUTE_0);
        h.endInput();
        assertThat(output(h)).containsExactly(new PartialSums("organic", MINUTE_0, new long[] {1, 0}) + " at "
                + MINUTE_0);
        h.close();
    }

    @Test
    void aRecordCountingInSeveralWindowsAddsToEachAcrossADaylightSavingDay() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long saturday = Instant.parse("2026-03-27T23:00:00Z").toEpochMilli(); // 2026-03-28 00:00 in Berlin
        var h = new OneInputStreamOperatorTestHarness<Long, PartialSums>(new PreAggregate<Long>(
                (days, to) -> to.addAt("mau", 1, 1, days.intValue()), Period.DAY, new BusinessTime(berlin)));
        h.open();
        h.processElement(3L, saturday); // Saturday, Sunday (23 hours), Monday
        h.endInput();
        long sunday = Instant.parse("2026-03-28T23:00:00Z").toEpochMilli();
        long monday = Instant.parse("2026-03-29T22:00:00Z").toEpochMilli();
        assertThat(h.extractOutputValues()).containsExactlyInAnyOrder(
                new PartialSums("mau", saturday, new long[] {0, 1}), new PartialSums("mau", sunday, new long[] {0, 1}),
                new PartialSums("mau", monday, new long[] {0, 1}));
        h.close();
    }
}
