package dev.pulse.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingestion.EventIds;
import dev.pulse.model.AlertRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shared device and shared ip: distinct users of one origin within the window. */
@Timeout(60)
class SharedOriginRuleTest {
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Instant T0 = Instant.parse("2026-11-11T02:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, OriginOrder, AlertRecord> harness;
    private int orders;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SharedOriginRule(RiskRules.defaults(), "salt", LATENESS)),
                (OriginOrder o) -> o.origin, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void order(String origin, String user, Instant at) throws Exception {
        OriginOrder o = new OriginOrder(origin, at.toEpochMilli(), EventIds.hash(user), "o" + orders++);
        harness.processElement(new StreamRecord<>(o, o.at));
    }

    private List<AlertRecord> alerts() {
        return harness.extractOutputValues();
    }

    @Test
    void fiveDistinctUsersOfOneDeviceWithinAnHourFire() throws Exception {
        // a family: four people, many orders
        for (int i = 0; i < 12; i++) {
            order("d:tablet", "member" + (i % 4), T0.plusSeconds(200L * i));
        }
        assertThat(alerts()).isEmpty();
        order("d:tablet", "member4", T0.plus(Duration.ofMinutes(60)).plusSeconds(1)); // 1 h after the 2nd order
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("shared_device");
            assertThat(a.key).startsWith("device:").doesNotContain("tablet");
            assertThat(a.evidence.count).isEqualTo(5);
            assertThat(a.windowStart).isEqualTo(T0.plusSeconds(1).toString()); // the hour ending at the fifth user
            assertThat(a.evidence.orderIds).first().isEqualTo("o1");
            assertThat(a.evidence.orderIds).last().isEqualTo("o12");
        });
    }

    @Test
    void anIpRuleIsQuietForItsSuppressionAndStateIsClearedAfterIt() throws Exception {
        for (int i = 0; i < 7; i++) {
            order("i:10.0.0.1", "user" + i, T0.plusSeconds(60L * i));
        }
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.rule).isEqualTo("shared_ip"));
        // out of order, within the lateness: the same origin again, still suppressed
        order("i:10.0.0.1", "user9", T0.minusSeconds(30));
        assertThat(alerts()).hasSize(1);
        harness.processWatermark(new Watermark(T0.plus(Duration.ofHours(7)).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void inEventTimeOrderTheOrdersAreJudgedByTimeOnceTheWatermarkPasses() throws Exception {
        try (var ordered = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SharedOriginRule(RiskRules.defaults(), "salt", LATENESS, true)),
                (OriginOrder o) -> o.origin, Types.STRING)) {
            ordered.open();
            // six users on one device; the sixth user's order arrives first
            List<OriginOrder> arrival = new ArrayList<>();
            arrival.add(new OriginOrder("d:tablet", T0.plusSeconds(600).toEpochMilli(), EventIds.hash("u5"), "o5"));
            for (int i = 0; i < 5; i++) {
                arrival.add(new OriginOrder("d:tablet", T0.plusSeconds(60L * i).toEpochMilli(),
                        EventIds.hash("u" + i), "o" + i));
            }
            for (OriginOrder o : arrival) {
                ordered.processElement(new StreamRecord<>(o, o.at));
            }
            assertThat(ordered.extractOutputValues()).isEmpty();
            ordered.processWatermark(new Watermark(T0.plusSeconds(700).toEpochMilli()));
            // judged in time order, the fifth user's order completes the hour: the sixth is not in its evidence
            assertThat(ordered.extractOutputValues()).singleElement().satisfies(a -> {
                assertThat(a.evidence.orderIds).containsExactly("o0", "o1", "o2", "o3", "o4");
                assertThat(a.firedAt).isEqualTo(T0.plusSeconds(240).toString());
            });
            ordered.processWatermark(new Watermark(T0.plus(Duration.ofHours(7)).toEpochMilli()));
            assertThat(ordered.numKeyedStateEntries()).isZero();
            assertThat(ordered.numEventTimeTimers()).isZero();
        }
    }
}
