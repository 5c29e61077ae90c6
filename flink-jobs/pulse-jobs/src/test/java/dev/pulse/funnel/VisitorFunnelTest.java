package dev.pulse.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.ClickDimensions;
import dev.pulse.time.BusinessTime;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-visitor funnel: steps arriving in any order across the two inputs, the window's edge to the
 * millisecond, one count per step and day however often a visitor converts, channels of the first step, a chain
 * across midnight, and the state gone once its days are final.
 */
@Timeout(60)
class VisitorFunnelTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 2026-11-11 00:00 in Shanghai. */
    private static final long MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000;
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final int ORGANIC = ClickDimensions.CHANNELS.indexOf("organic");
    private static final int SEARCH = ClickDimensions.CHANNELS.indexOf("search");
    private static final String V = "u:alice";

    private static KeyedTwoInputStreamOperatorTestHarness<String, FunnelStep, FunnelStep, Tally> harness()
            throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, FunnelStep, FunnelStep, Tally> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(
                        new VisitorFunnel(WINDOW, LATENESS, new BusinessTime(SHANGHAI))),
                        s -> s.visitor, s -> s.visitor, Types.STRING);
        h.open();
        return h;
    }

    private static void click(KeyedTwoInputStreamOperatorTestHarness<String, FunnelStep, FunnelStep, Tally> h,
                              int step, long at, int channel) throws Exception {
        h.processElement1(new FunnelStep(V, at, step, channel), at);
    }

    private static void order(KeyedTwoInputStreamOperatorTestHarness<String, FunnelStep, FunnelStep, Tally> h,
                              int step, long at) throws Exception {
        h.processElement2(new FunnelStep(V, at, step, FunnelStep.NO_CHANNEL), at);
    }

    /** Each tally as "step/lane@day", lane a channel or "total", day as days after 2026-11-11. */
    private static List<String> reached(KeyedTwoInputStreamOperatorTestHarness<String, FunnelStep, FunnelStep, Tally> h) {
        return h.extractOutputStreamRecords().stream().map(r -> {
            Tally t = r.getValue();
            int step = t.slot / VisitorFunnel.LANES;
            int lane = t.slot % VisitorFunnel.LANES;
            String laneName = lane == VisitorFunnel.TOTAL_LANE ? "total" : ClickDimensions.CHANNELS.get(lane);
            assertThat(t.value).isEqualTo(1);
            return FunnelStep.NAMES[step] + "/" + laneName + "@" + (t.time - MIDNIGHT) / (24 * HOUR);
        }).collect(Collectors.toList());
    }

    private static List<String> all(String lane, int steps, int day) {
        return IntStream.range(0, steps).boxed()
                .flatMap(k -> Stream.of(FunnelStep.NAMES[k] + "/" + lane + "@" + day,
                        FunnelStep.NAMES[k] + "/total@" + day))
                .collect(Collectors.toList());
    }

    @Test
    void aChainArrivingInReverseOrderAcrossTheTwoInputsIsCountedWhenItsFirstStepComes() throws Exception {
        var h = harness();
        long t = MIDNIGHT + 10 * HOUR;
        order(h, FunnelStep.ORDER_PAID, t + 3000);
        order(h, FunnelStep.ORDER_CREATED, t + 2000);
        click(h, FunnelStep.ADD_TO_CART, t + 1000, ORGANIC);
        assertThat(reached(h)).isEmpty();
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 4, 0));
    }

    @Test
    void stepsAtTheSameMillisecondAreInOrder() throws Exception {
        var h = harness();
        long t = MIDNIGHT + 10 * HOUR;
        order(h, FunnelStep.ORDER_PAID, t);
        order(h, FunnelStep.ORDER_CREATED, t);
        click(h, FunnelStep.ADD_TO_CART, t, ORGANIC);
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 4, 0));
    }

    @Test
    void aChainOneMillisecondLongerThanTheWindowStopsAtTheStepBefore() throws Exception {
        var h = harness();
        long t = MIDNIGHT + HOUR;
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        click(h, FunnelStep.ADD_TO_CART, t + HOUR, ORGANIC);
        order(h, FunnelStep.ORDER_CREATED, t + WINDOW.toMillis());
        order(h, FunnelStep.ORDER_PAID, t + WINDOW.toMillis() + 1);
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 3, 0));
    }

    @Test
    void aLaterFirstStepShortensTheChain() throws Exception {
        var h = harness();
        long t = MIDNIGHT + HOUR;
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        click(h, FunnelStep.ADD_TO_CART, t + 2 * HOUR, ORGANIC);
        order(h, FunnelStep.ORDER_CREATED, t + 3 * HOUR);
        order(h, FunnelStep.ORDER_PAID, t + WINDOW.toMillis() + 1);
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 3, 0));
        click(h, FunnelStep.PRODUCT_VIEW, t + HOUR, ORGANIC); // within 24 h of the payment
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 4, 0));
    }

    @Test
    void aVisitorConvertingTwiceInADayIsCountedOncePerStep() throws Exception {
        var h = harness();
        for (long start : new long[] {MIDNIGHT + HOUR, MIDNIGHT + 5 * HOUR}) {
            click(h, FunnelStep.PRODUCT_VIEW, start, ORGANIC);
            click(h, FunnelStep.ADD_TO_CART, start + 60_000, ORGANIC);
            order(h, FunnelStep.ORDER_CREATED, start + 120_000);
            order(h, FunnelStep.ORDER_PAID, start + 180_000);
        }
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 4, 0));
    }

    @Test
    void stepsOutOfOrderInTimeMakeNoChain() throws Exception {
        var h = harness();
        long t = MIDNIGHT + HOUR;
        order(h, FunnelStep.ORDER_PAID, t - 1);
        click(h, FunnelStep.ADD_TO_CART, t + 1000, ORGANIC);
        order(h, FunnelStep.ORDER_CREATED, t + 500); // before the cart
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 2, 0));
    }

    @Test
    void eachChannelOfAFirstStepCountsTheVisitorOnceInTotal() throws Exception {
        var h = harness();
        long t = MIDNIGHT + HOUR;
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        click(h, FunnelStep.PRODUCT_VIEW, t + HOUR, SEARCH);
        click(h, FunnelStep.ADD_TO_CART, t + 2 * HOUR, ORGANIC);
        assertThat(reached(h)).containsExactlyInAnyOrder(
                "product_view/organic@0", "product_view/total@0", "product_view/search@0",
                "add_to_cart/search@0", "add_to_cart/organic@0", "add_to_cart/total@0");
    }

    @Test
    void aChainStartingBeforeMidnightCountsForThatDayAndAPaymentThatDayStartsNothingNew() throws Exception {
        var h = harness();
        long lateEvening = MIDNIGHT + 23 * HOUR;
        click(h, FunnelStep.PRODUCT_VIEW, lateEvening, ORGANIC);
        click(h, FunnelStep.ADD_TO_CART, lateEvening + HOUR + 1, ORGANIC); // the next day
        h.processBothWatermarks(new Watermark(MIDNIGHT + 30 * HOUR));
        order(h, FunnelStep.ORDER_CREATED, MIDNIGHT + 33 * HOUR);
        order(h, FunnelStep.ORDER_PAID, MIDNIGHT + 34 * HOUR);
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(all("organic", 4, 0));
    }

    @Test
    void viewsForgottenOnceSealedLeaveTheLatestOfEachChannelSoLaterChainsAreTheSame() throws Exception {
        var h = harness();
        long t = MIDNIGHT + HOUR;
        for (int i = 0; i <= 30; i++) {
            click(h, FunnelStep.PRODUCT_VIEW, t + i * 60_000L, i == 15 ? SEARCH : ORGANIC);
        }
        h.processBothWatermarks(new Watermark(t + 40 * 60_000L)); // every view sealed
        long cart = t + 30 * 60_000L + WINDOW.toMillis() - 2000; // within the window of the last view only
        click(h, FunnelStep.ADD_TO_CART, cart, ORGANIC);
        order(h, FunnelStep.ORDER_CREATED, cart + 1000);
        order(h, FunnelStep.ORDER_PAID, cart + 2000);
        List<String> expected = new ArrayList<>(all("organic", 4, 0));
        expected.add("product_view/search@0"); // its chain would be longer than the window
        assertThat(reached(h)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void anOrderSentToADeviceThatViewedNothingIsForgottenOnceSealed() throws Exception {
        var h = harness();
        long t = MIDNIGHT + 10 * HOUR;
        order(h, FunnelStep.ORDER_CREATED, t);
        order(h, FunnelStep.ORDER_PAID, t + 1000);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processBothWatermarks(new Watermark(t + 1000 + LATENESS.toMillis() + 60_000));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(reached(h)).isEmpty();
    }

    @Test
    void theStateIsGoneOnceEveryDayItCanCountForIsFinal() throws Exception {
        var h = harness();
        long t = MIDNIGHT + 10 * HOUR;
        click(h, FunnelStep.PRODUCT_VIEW, t, ORGANIC);
        order(h, FunnelStep.ORDER_PAID, t + HOUR);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        long dayZeroFinal = MIDNIGHT + 24 * HOUR - 1 + LATENESS.plus(WINDOW).toMillis();
        h.processBothWatermarks(new Watermark(dayZeroFinal - 1));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processBothWatermarks(new Watermark(dayZeroFinal));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
