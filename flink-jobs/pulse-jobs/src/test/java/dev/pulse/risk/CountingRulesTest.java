package dev.pulse.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each counting rule of the user operator with its default settings: quiet one below the threshold, firing at it
 * in any arrival order (the same alert), quiet for a second round within its suppression, and its state gone once
 * the window and the lateness have passed.
 */
@Timeout(60)
class CountingRulesTest {
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Instant T0 = Instant.parse("2026-11-11T02:00:00Z");

    /** The events that make {@code n} counted events of the rule for one user, 1 s apart from {@code start}. */
    private static List<OrderEvent> round(RiskRule rule, int n, Instant start, String tag) {
        List<OrderEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t = start.plusSeconds(i);
            String orderId = tag + "-o" + i;
            switch (rule) {
                case BURST -> events.add(order(orderId, OrderEvent.CREATED, t, "home"));
                case MULTI_ADDRESS -> events.add(order(orderId, OrderEvent.CREATED, t, "address-" + i));
                case CANCEL_CHURN -> {
                    events.add(order(orderId, OrderEvent.CREATED, t.minusMillis(500), "home"));
                    events.add(order(orderId, OrderEvent.CANCELLED, t, "home"));
                }
                case PAYMENT_FAILURE_STREAK -> events.add(order(tag + "-o", OrderEvent.PAYMENT_FAILED, t, "home"));
                default -> throw new IllegalArgumentException(rule.code());
            }
        }
        return events;
    }

    private static int ids;

    private static OrderEvent order(String orderId, String status, Instant at, String address) {
        OrderEvent o = Events.order("e" + ids++, at, status, "99.00", "organic");
        o.userId = "u1";
        o.orderId = orderId;
        o.addressHash = address;
        return o;
    }

    private static List<AlertRecord> run(List<OrderEvent> events, Instant watermark, boolean expectEmptyState)
            throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new UserRiskRules(RiskRules.defaults(), "salt", LATENESS)),
                (OrderEvent o) -> VisitorKeys.of(o), (ClickEvent c) -> VisitorKeys.of(c), Types.STRING);
        harness.open();
        try {
            for (OrderEvent o : events) {
                harness.processElement1(new StreamRecord<>(o, o.eventTime.toEpochMilli()));
            }
            if (watermark != null) {
                harness.processBothWatermarks(new Watermark(watermark.toEpochMilli()));
                assertThat(harness.numKeyedStateEntries() == 0).isEqualTo(expectEmptyState);
            }
            return harness.extractOutputValues();
        } finally {
            harness.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RiskRule.class, names = {"BURST", "MULTI_ADDRESS", "CANCEL_CHURN", "PAYMENT_FAILURE_STREAK"})
    void firesAtItsThresholdInAnyOrderOnceWithinItsSuppression(RiskRule rule) throws Exception {
        int threshold = rule.defaults().count();
        assertThat(run(round(rule, threshold - 1, T0, "a"), null, false)).isEmpty();

        List<OrderEvent> inOrder = round(rule, threshold, T0, "a");
        List<AlertRecord> alerts = run(inOrder, null, false);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo(rule.code());
            assertThat(a.severity).isEqualTo(rule.defaults().severity().code());
            assertThat(a.evidence.count).isEqualTo(threshold);
            assertThat(a.firedAt).isEqualTo(T0.plusSeconds(threshold - 1).toString());
        });
        List<OrderEvent> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed); // all within the lateness
        assertThat(run(reversed, null, false)).containsExactlyElementsOf(alerts);

        Instant stillQuiet = T0.plus(rule.defaults().suppression()).minusSeconds(threshold + 1);
        List<OrderEvent> twoRounds = new ArrayList<>(inOrder);
        twoRounds.addAll(round(rule, threshold, stillQuiet, "b"));
        assertThat(run(twoRounds, null, false)).containsExactlyElementsOf(alerts);

        Instant afterSuppression = T0.plus(rule.defaults().suppression()).plusSeconds(1);
        List<OrderEvent> again = new ArrayList<>(inOrder);
        again.addAll(round(rule, threshold, afterSuppression, "c"));
        assertThat(run(again, null, false)).hasSize(2);

        // no paid order: nothing is kept beyond the window, the suppression and the lateness
        Instant gone = T0.plus(rule.defaults().window()).plus(rule.defaults().suppression()).plus(LATENESS)
                .plusSeconds(threshold + 1);
        assertThat(run(inOrder, gone, true)).hasSize(1);
    }
}
