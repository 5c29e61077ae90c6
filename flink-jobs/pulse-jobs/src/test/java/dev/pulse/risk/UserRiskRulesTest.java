package dev.pulse.risk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.testing.Events;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules keyed by user, each at its threshold and one below, with their evidence, suppression and cleanup. */
@Timeout(60)
class UserRiskRulesTest {
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Instant T0 = Instant.parse("2026-11-11T02:00:00Z");
    private static final String SALT = "test-salt";

    private KeyedTwoInputStreamOperatorTestHarness<String, OrderEvent, ClickEvent, AlertRecord> harness;
    private int ids;

    @BeforeEach
    void open() throws Exception {
        harness = harness(RiskRules.defaults());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, OrderEvent, ClickEvent, AlertRecord> harness(
            RiskRules rules) throws Exception {
        return harness(new UserRiskRules(rules, SALT, LATENESS));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, OrderEvent, ClickEvent, AlertRecord> harness(
            UserRiskRules function) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(function),
                (OrderEvent o) -> VisitorKeys.of(o), (ClickEvent c) -> VisitorKeys.of(c), Types.STRING);
        h.open();
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private OrderEvent order(String user, String orderId, String status, Instant at, String amount) {
        OrderEvent o = Events.order("e" + ids++, at, status, amount, "organic");
        o.userId = user;
        o.orderId = orderId;
        o.addressHash = "home-" + user;
        return o;
    }

    private void send(OrderEvent o) throws Exception {
        harness.processElement1(new StreamRecord<>(o, o.eventTime.toEpochMilli()));
    }

    private void created(String user, String orderId, Instant at) throws Exception {
        send(order(user, orderId, OrderEvent.CREATED, at, "99.00"));
    }

    private List<AlertRecord> alerts() {
        return harness.extractOutputValues();
    }

    private static List<String> rules(List<AlertRecord> alerts) {
        return alerts.stream().map(a -> a.rule).toList();
    }

    @Test
    void burstFiresAtFiveOrdersWithinAMinuteWithTheirEvidence() throws Exception {
        for (int i = 0; i < 5; i++) {
            created("u1", "o" + i, T0.plusSeconds(15L * i)); // the fifth exactly 60 s after the first
        }
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("burst");
            assertThat(a.severity).isEqualTo("warning");
            assertThat(a.evidence.orderIds).containsExactly("o0", "o1", "o2", "o3", "o4");
            assertThat(a.evidence.count).isEqualTo(5);
            assertThat(a.windowStart).isEqualTo(T0.toString());
            assertThat(a.windowEnd).isEqualTo(T0.plusSeconds(60).toString());
            assertThat(a.firedAt).isEqualTo(T0.plusSeconds(60).toString());
            assertThat(a.key).startsWith("user:").doesNotContain("u1").hasSize("user:".length() + 32);
        });
    }

    @Test
    void inEventTimeOrderTheAlertIsTheRecomputationsWhateverTheOrderOfArrival() throws Exception {
        List<OrderEvent> burst = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            burst.add(order("u1", "o" + i, OrderEvent.CREATED, T0.plusSeconds(5L * i), "50.00"));
        }
        // the sixth order arrives before the fifth: judged on arrival, the fifth is missing from the window
        List<OrderEvent> arrival = List.of(burst.get(0), burst.get(1), burst.get(2), burst.get(3), burst.get(5),
                burst.get(4));
        for (OrderEvent o : arrival) {
            send(o);
        }
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.evidence.orderIds).containsExactly("o0", "o1", "o2", "o3", "o5");
            assertThat(a.firedAt).isEqualTo(T0.plusSeconds(25).toString());
        });

        try (var ordered = harness(new UserRiskRules(RiskRules.defaults(), SALT, LATENESS, true))) {
            for (OrderEvent o : arrival) {
                ordered.processElement1(new StreamRecord<>(o, o.eventTime.toEpochMilli()));
            }
            assertThat(ordered.extractOutputValues()).as("nothing before the watermark passes").isEmpty();
            ordered.processBothWatermarks(new Watermark(T0.plusSeconds(30).toEpochMilli()));
            assertThat(ordered.extractOutputValues()).singleElement().satisfies(a -> {
                assertThat(a.evidence.orderIds).containsExactly("o0", "o1", "o2", "o3", "o4");
                assertThat(a.firedAt).isEqualTo(T0.plusSeconds(20).toString());
            });
            // stamped with the time of the order that completed it: counted in its minute
            assertThat(((StreamRecord<?>) ordered.getOutput().stream().filter(e -> e instanceof StreamRecord)
                    .findFirst().orElseThrow()).getTimestamp()).isEqualTo(T0.plusSeconds(20).toEpochMilli());
            // and everything is forgotten after the horizon, waiting orders included
            ordered.processBothWatermarks(new Watermark(T0.plus(Duration.ofDays(40)).toEpochMilli()));
            assertThat(ordered.numKeyedStateEntries()).isZero();
            assertThat(ordered.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void burstStaysQuietOneBelowTheThresholdAndJustOutsideTheWindow() throws Exception {
        for (int i = 0; i < 4; i++) {
            created("u1", "a" + i, T0.plusSeconds(10L * i));
        }
        for (int i = 0; i < 5; i++) {
            created("u2", "b" + i, T0.plusMillis(15_001L * i)); // 60.004 s from first to fifth
        }
        assertThat(alerts()).isEmpty();
    }

    @Test
    void theSameEventsInAnyOrderWithinTheLatenessGiveTheSameAlert() throws Exception {
        List<OrderEvent> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(order("u1", "o" + i, OrderEvent.CREATED, T0.plusSeconds(10L * i), "99.00"));
        }
        for (OrderEvent o : burst) {
            send(o);
        }
        AlertRecord inOrder = alerts().get(0);
        var other = harness(RiskRules.defaults());
        for (int i = 4; i >= 0; i--) {
            other.processElement1(new StreamRecord<>(burst.get(i), burst.get(i).eventTime.toEpochMilli()));
        }
        List<AlertRecord> reversed = other.extractOutputValues();
        other.close();
        assertThat(reversed).singleElement().isEqualTo(inOrder);
    }

    @Test
    void aFiredRuleIsQuietOnTheUserForItsSuppressionThenFiresAgain() throws Exception {
        for (int i = 0; i < 10; i++) {
            created("u1", "o" + i, T0.plusSeconds(5L * i));
        }
        assertThat(rules(alerts())).containsExactly("burst");
        Instant later = T0.plus(Duration.ofMinutes(29));
        harness.processBothWatermarks(new Watermark(later.toEpochMilli()));
        for (int i = 0; i < 5; i++) {
            created("u1", "p" + i, later.plusSeconds(i));
        }
        assertThat(rules(alerts())).containsExactly("burst"); // 29 min after: still quiet
        Instant afterSuppression = T0.plus(Duration.ofMinutes(31));
        for (int i = 0; i < 5; i++) {
            created("u1", "q" + i, afterSuppression.plusSeconds(i));
        }
        assertThat(rules(alerts())).containsExactly("burst", "burst");
        assertThat(alerts().get(1).evidence.orderIds).containsExactly("q0", "q1", "q2", "q3", "q4");
    }

    @Test
    void multiAddressCountsDistinctAddressesNotOrders() throws Exception {
        // home and office, four orders: an ordinary buyer
        for (int i = 0; i < 4; i++) {
            OrderEvent o = order("u1", "a" + i, OrderEvent.CREATED, T0.plusSeconds(100L * i), "50.00");
            o.addressHash = i % 2 == 0 ? "home" : "office";
            send(o);
        }
        assertThat(alerts()).isEmpty();
        OrderEvent third = order("u1", "a4", OrderEvent.CREATED, T0.plusSeconds(599), "50.00");
        third.addressHash = "locker";
        send(third);
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("multi_address");
            assertThat(a.evidence.count).isEqualTo(3);
            assertThat(a.evidence.orderIds).containsExactly("a0", "a1", "a2", "a3", "a4");
        });
    }

    @Test
    void cancelChurnCountsOnlyFreshUnpaidOrders() throws Exception {
        for (int i = 0; i < 3; i++) {
            created("u1", "o" + i, T0.plusSeconds(60L * i));
        }
        send(order("u1", "o0", OrderEvent.PAID, T0.plusSeconds(200), "99.00"));
        for (int i = 0; i < 3; i++) {
            send(order("u1", "o" + i, OrderEvent.CANCELLED, T0.plusSeconds(300L + i), "99.00"));
        }
        assertThat(alerts()).isEmpty(); // o0 was paid: two unpaid cancellations
        created("u1", "o3", T0.plusSeconds(400));
        send(order("u1", "o3", OrderEvent.CANCELLED, T0.plusSeconds(500), "99.00"));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("cancel_churn");
            assertThat(a.evidence.orderIds).containsExactly("o1", "o2", "o3");
            assertThat(a.evidence.count).isEqualTo(3);
        });
    }

    @Test
    void paymentFailureStreakFiresAtTheFifthFailureWithinTenMinutes() throws Exception {
        created("u1", "o1", T0);
        for (int i = 0; i < 4; i++) {
            send(order("u1", "o1", OrderEvent.PAYMENT_FAILED, T0.plusSeconds(60L + 60 * i), "99.00"));
        }
        assertThat(alerts()).isEmpty();
        send(order("u1", "o1", OrderEvent.PAYMENT_FAILED, T0.plusSeconds(660), "99.00")); // 10 min after the first
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("payment_failure_streak");
            assertThat(a.severity).isEqualTo("critical");
            assertThat(a.evidence.count).isEqualTo(5);
            assertThat(a.evidence.orderIds).containsExactly("o1");
        });
    }

    @Test
    void amountOutlierAgainstTheUsersHistoryAndTheCap() throws Exception {
        for (int i = 0; i < 2; i++) {
            created("u1", "h" + i, T0.plusSeconds(i));
            send(order("u1", "h" + i, OrderEvent.PAID, T0.plusSeconds(10 + i), i == 0 ? "80.00" : "120.00"));
        }
        send(order("u1", "big", OrderEvent.CREATED, T0.plusSeconds(100), "1000.00")); // 10x the mean of 100
        assertThat(alerts()).isEmpty();
        send(order("u1", "bigger", OrderEvent.CREATED, T0.plusSeconds(200), "1000.01"));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("amount_outlier");
            assertThat(a.evidence.orderIds).containsExactly("bigger");
            assertThat(a.evidence.amount).isEqualByComparingTo("1000.01");
            assertThat(a.evidence.detail).contains("mean of 2 paid orders").contains("(100");
        });
        // no history: only the cap
        send(order("u2", "c1", OrderEvent.CREATED, T0.plusSeconds(300), "20000.00"));
        send(order("u3", "c2", OrderEvent.CREATED, T0.plusSeconds(300), "20000.01"));
        assertThat(alerts()).hasSize(2).last().satisfies(a -> {
            assertThat(a.evidence.orderIds).containsExactly("c2");
            assertThat(a.evidence.detail).contains("cap");
        });
    }

    private void register(String user, Instant at) throws Exception {
        ClickEvent c = Events.click("r" + ids++, at, "register", "organic", "app");
        c.userId = user;
        harness.processElement2(new StreamRecord<>(c, at.toEpochMilli()));
    }

    private OrderEvent discounted(String user, String orderId, Instant at, String amount, String discount) {
        OrderEvent o = order(user, orderId, OrderEvent.PAID, at, amount);
        o.discount = new BigDecimal(discount);
        return o;
    }

    @Test
    void couponAbuseIsADeepDiscountOfABrandNewAccount() throws Exception {
        register("u1", T0);
        send(discounted("u1", "o1", T0.plusSeconds(600), "20.00", "80.00")); // exactly 80 %: not above
        register("u2", T0);
        send(discounted("u2", "o2", T0.plusSeconds(600), "19.00", "81.00"));
        register("u3", T0);
        send(discounted("u3", "o3", T0.plus(Duration.ofHours(24)).plusMillis(1), "10.00", "90.00")); // not new
        send(discounted("u4", "o4", T0.plusSeconds(600), "10.00", "90.00")); // never seen registering
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("coupon_abuse");
            assertThat(a.evidence.orderIds).containsExactly("o2");
            assertThat(a.evidence.amount).isEqualByComparingTo("81.00");
            assertThat(a.windowStart).isEqualTo(T0.toString());
        });
    }

    @Test
    void aRegistrationArrivingAfterThePaymentStillCounts() throws Exception {
        send(discounted("u1", "o1", T0.plusSeconds(600), "10.00", "90.00"));
        assertThat(alerts()).isEmpty();
        register("u1", T0);
        assertThat(rules(alerts())).containsExactly("coupon_abuse");
    }

    @Test
    void stateIsClearedOnceNoAdmittedEventCanJoinAWindow() throws Exception {
        for (int i = 0; i < 6; i++) {
            created("u1", "o" + i, T0.plusSeconds(i));
            send(order("u1", "o" + i, OrderEvent.PAYMENT_FAILED, T0.plusSeconds(10 + i), "99.00"));
        }
        register("u2", T0);
        send(order("u2", "p1", OrderEvent.PAID, T0.plusSeconds(60), "10.00"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        // the longest horizons: 30 days of paid history, 24 h since registration, each + the lateness
        harness.processBothWatermarks(new Watermark(T0.plus(Duration.ofDays(1)).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processBothWatermarks(
                new Watermark(T0.plus(Duration.ofDays(30)).plus(LATENESS).plusSeconds(61).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aDisabledRuleNeverFires() throws Exception {
        harness.close();
        harness = harness(RiskRules.parse(
                new ObjectMapper().readTree("{\"rules\": {\"burst\": {\"enabled\": false}}}"), "test"));
        for (int i = 0; i < 6; i++) {
            created("u1", "o" + i, T0.plusSeconds(i));
        }
        assertThat(alerts()).isEmpty();
    }
}
