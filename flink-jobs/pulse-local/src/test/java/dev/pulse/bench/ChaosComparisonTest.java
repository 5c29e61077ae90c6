package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.json.Json;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.MetricRecord;
import dev.pulse.time.Period;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosComparisonTest {
    private static final Instant CUT_OFF = Instant.parse("2026-11-12T16:00:00Z");

    @Test
    void identicalRunsHaveNoDifferenceAndWindowsFromTheCutOffOnAreLeftOut() {
        List<String> finals = List.of(value("page_views", "00:00", 3, true), value("page_views", "00:01", 4, true));
        RunOutputs calm = RunOutputs.of(finals, List.of(alert("burst", "00:00")), List.of(), CUT_OFF);
        List<String> chaosFinals = new ArrayList<>(finals);
        // the close-out's own day is not compared
        chaosFinals.add(json(new MetricRecord("page_views", Period.MINUTE, Map.of(), "2026-11-13T00:00+08:00",
                "2026-11-13T00:01+08:00", 1, true)));
        RunOutputs chaos = RunOutputs.of(chaosFinals, List.of(alert("burst", "00:00")), List.of(), CUT_OFF);

        assertThat(ChaosComparison.finals(chaos, calm)).isEqualTo(new ChaosComparison.Differences(2, 0, List.of()));
        assertThat(ChaosComparison.alerts(chaos, calm)).isEqualTo(new ChaosComparison.Differences(1, 0, List.of()));
    }

    @Test
    void aValueLostChangedOrCountedTwiceIsADifference() {
        RunOutputs calm = RunOutputs.of(List.of(value("a", "00:00", 1, true), value("b", "00:00", 2, true),
                value("c", "00:00", 3, true)), List.of(), List.of(), CUT_OFF);
        RunOutputs chaos = RunOutputs.of(List.of(value("a", "00:00", 1, true), value("a", "00:00", 1, true),
                value("b", "00:00", 5, true)), List.of(), List.of(), CUT_OFF);

        ChaosComparison.Differences d = ChaosComparison.finals(chaos, calm);

        assertThat(d.compared()).isEqualTo(3);
        assertThat(d.differing()).isEqualTo(2);
        assertThat(d.examples()).anySatisfy(e -> assertThat(e).contains("b/minute{}").contains("5.0"))
                .anySatisfy(e -> assertThat(e).contains("c/minute{}").contains("null"));
        assertThat(ChaosComparison.writtenTwice(chaos)).isEqualTo(1);
        assertThat(ChaosComparison.writtenTwice(calm)).isZero();
    }

    @Test
    void aCorrectionAfterTheWindowClosedEndsAtTheSameValue() {
        RunOutputs calm = RunOutputs.of(List.of(value("net", "00:00", 0, true)), List.of(), List.of(), CUT_OFF);
        RunOutputs chaos = RunOutputs.of(List.of(value("net", "00:00", 71.5, true), value("net", "00:00", 0, true)),
                List.of(), List.of(), CUT_OFF);

        assertThat(ChaosComparison.finals(chaos, calm).differing()).isZero();
        assertThat(ChaosComparison.writtenTwice(chaos)).isZero();
        assertThat(ChaosComparison.corrected(chaos)).isEqualTo(1);
        assertThat(ChaosComparison.corrected(calm)).isZero();
    }

    @Test
    void anAlertMissingOrWrittenTwiceIsADifferenceAndItsKeyIsNotShown() {
        RunOutputs calm = RunOutputs.of(List.of(), List.of(alert("burst", "00:00"), alert("velocity", "00:05")),
                List.of(), CUT_OFF);
        RunOutputs chaos = RunOutputs.of(List.of(), List.of(alert("burst", "00:00"), alert("burst", "00:00")),
                List.of(), CUT_OFF);

        ChaosComparison.Differences d = ChaosComparison.alerts(chaos, calm);

        assertThat(d.differing()).isEqualTo(2);
        assertThat(String.join(" ", d.examples())).contains("burst").contains("extra 1").contains("velocity")
                .contains("missing 1").doesNotContain("hashed-user");
    }

    @Test
    void runningValuesConvergeWhenTheFinalTakesOverAndNotWhenAWindowHasOnlyAStaleRunningValue() {
        RunOutputs calm = RunOutputs.of(List.of(value("a", "00:00", 5, true), value("b", "00:00", 7, true),
                value("c", "00:00", 9, true)), List.of(), List.of(), CUT_OFF);
        List<String> running = List.of(value("a", "00:00", 2, false), value("a", "00:00", 5, false),
                value("b", "00:00", 6, false), value("c", "00:00", 8, false));
        // a: last running = final; b: a stale running value, replaced by its final; c: no final at all
        RunOutputs chaos = RunOutputs.of(List.of(value("a", "00:00", 5, true), value("b", "00:00", 7, true)),
                List.of(), running, CUT_OFF);

        ChaosComparison.Convergence c = ChaosComparison.running(chaos, calm);

        assertThat(c.windows()).isEqualTo(3);
        assertThat(c.lastRunningIsFinal()).isEqualTo(1);
        assertThat(c.notConverged()).isEqualTo(1);
        assertThat(c.examples()).singleElement().asString().contains("c/minute{}").contains("ends at 8.0");
    }

    private static String value(String name, String minute, double v, boolean isFinal) {
        return json(new MetricRecord(name, Period.MINUTE, Map.of(), "2026-11-11T" + minute + "+08:00",
                "2026-11-11T" + minute + ":59+08:00", v, isFinal));
    }

    private static String alert(String rule, String minute) {
        AlertRecord a = new AlertRecord();
        a.rule = rule;
        a.severity = "high";
        a.key = "hashed-user";
        a.windowStart = "2026-11-11T" + minute + ":00Z";
        a.windowEnd = "2026-11-11T" + minute + ":30Z";
        return json(a);
    }

    private static String json(Object o) {
        return Json.write(o);
    }
}
