package dev.pulse.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.Pacing;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.testing.ValueDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten business days of light traffic from a small user base, so visitors come back across days, with late,
 * out-of-order and duplicate events: through {@code pulse replay} in batch and streaming, every value (MAU over the
 * days, stickiness, retention, sessions across midnight, net GMV restated by refunds, repurchase, funnels across
 * midnight and across the two topics, ...) equals the recomputation over the same events.
 */
@Timeout(600)
class MultiDayReconciliationTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = dev.pulse.testing.TestClusters.parallelismTwo();

    @TempDir
    static Path dir;
    private static final List<GeneratedEvent> EVENTS = new ArrayList<>();

    @BeforeAll
    static void generate() throws Exception {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(11)
                .start(Instant.parse("2026-11-01T16:00:00Z")) // 2026-11-02 00:00 in Shanghai
                .duration(Duration.ofDays(10))
                .sessionsPerMinute(0.6)
                .knownUsers(1_500)
                .lateRate(0.02).outOfOrderRate(0.05).duplicateRate(0.02)
                .pacing(Pacing.fast())
                .build();
        EVENTS.addAll(ReplayReconciliationTest.generate(settings, dir));
    }

    @Test
    void batchReplayOfTenDaysEqualsTheRecomputation() throws Exception {
        Path out = dir.resolve("batch.jsonl");
        assertThat(ReplayReconciliationTest.replay(dir, "--execution", "batch", "--out", out.toString())).isZero();
        Map<String, Double> values = ReplayReconciliationTest.values(out);
        ValueDiff.assertSame(values, ReplayReconciliationTest.recompute(EVENTS, Set.of()));
        // the days really are many, and visitors really come back: MAU grows past any one day's DAU
        List<String> mau = values.keySet().stream().filter(k -> k.startsWith("mau/")).toList();
        assertThat(mau).hasSizeGreaterThanOrEqualTo(10);
        String lastDay = mau.get(mau.size() - 1);
        assertThat(values.get(lastDay)).isGreaterThan(values.get(lastDay.replace("mau/", "dau_total/")) * 3);
        // and registered newcomers come back: retention is measured, and not all zero
        assertThat(values.entrySet().stream().filter(e -> e.getKey().startsWith("retention_d1/")))
                .hasSizeGreaterThanOrEqualTo(9).anyMatch(e -> e.getValue() > 0);
        assertThat(values.entrySet().stream().filter(e -> e.getKey().startsWith("retention_d7/")))
                .hasSizeGreaterThanOrEqualTo(3).anyMatch(e -> e.getValue() > 0);
        // refunds and cancellations of paid orders really restate days, and funnels really reach payment
        assertThat(values.entrySet().stream().filter(e -> e.getKey().startsWith("net_gmv/day")))
                .hasSizeGreaterThanOrEqualTo(10)
                .allMatch(e -> e.getValue() <= values.get(e.getKey().replace("net_gmv/", "gmv/")))
                .filteredOn(e -> e.getValue() < values.get(e.getKey().replace("net_gmv/", "gmv/")))
                .hasSizeGreaterThanOrEqualTo(10);
        assertThat(values.entrySet().stream().filter(e -> e.getKey().startsWith("funnel_users_total/day{step=order_paid}")))
                .hasSizeGreaterThanOrEqualTo(10).allMatch(e -> e.getValue() > 0);
        assertThat(values.entrySet().stream().filter(e -> e.getKey().startsWith("repurchase_rate/")))
                .hasSizeGreaterThanOrEqualTo(10).anyMatch(e -> e.getValue() > 0);
    }

    /** Sketch mode: the same values, MAU, stickiness and UV within a few sketch errors (small counts: nearly exact). */
    @Test
    void inSketchModeTheSketchedValuesAreCloseAndEveryOtherIsExact() throws Exception {
        Path out = dir.resolve("sketch.jsonl");
        assertThat(ReplayReconciliationTest.replay(dir, "--execution", "batch", "--out", out.toString(),
                "-Dpulse.users.sketch=mau;uv")).isZero();
        Map<String, Double> values = ReplayReconciliationTest.values(out);
        Map<String, Double> exact = ReplayReconciliationTest.recompute(EVENTS, Set.of());
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(exact.keySet());
        double rse = 1.04 / Math.sqrt(1 << 12);
        exact.forEach((key, value) -> {
            if (key.matches("^(mau|stickiness|uv|uv_total)/.*")) {
                assertThat(values.get(key)).as(key).isCloseTo(value, within(Math.max(1, value * 3 * rse)));
            } else {
                assertThat(values.get(key)).as(key).isEqualTo(value);
            }
        });
    }

    @Test
    void streamingReplayOfTenDaysEqualsTheRecomputationLessWhatWasTooLate() throws Exception {
        Path out = dir.resolve("streaming.jsonl");
        Path deadLetters = dir.resolve("dead-letters.jsonl");
        assertThat(ReplayReconciliationTest.replay(dir, "--execution", "streaming", "--out", out.toString(),
                "--dead-letters", deadLetters.toString())).isZero();
        List<DeadLetter> letters = Files.readAllLines(deadLetters).stream()
                .map(line -> Json.read(line, DeadLetter.class)).collect(Collectors.toList());
        Set<String> tooLate = ReplayReconciliationTest.tooLate(letters);
        assertThat(letters).hasSize(tooLate.size());
        ValueDiff.assertSame(ReplayReconciliationTest.values(out), ReplayReconciliationTest.recompute(EVENTS, tooLate));
    }
}
