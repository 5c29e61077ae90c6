package dev.pulse.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.PulseCli;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.JsonLinesEventWriter;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.RiskRecompute;
import dev.pulse.testing.TestClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection quality of the risk rules on generated traffic: labelled fraud incidents of every rule among ordinary
 * shoppers (with late, out-of-order and duplicate events) and lookalikes (a family sharing a tablet, a buyer
 * shipping to home and office, a big but ordinary order), through the streaming replay at parallelism 2. Per
 * rule, precision (alerts on that rule's incidents / its alerts) and recall (incidents alerted / incidents) must
 * be at least 0.95; and the alerts are exactly those of the plain recomputation (one per incident here: no
 * incident outlasts its rule's suppression).
 */
@Timeout(300)
class RiskDetectionQualityTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    @TempDir
    Path dir;

    @Test
    void everyRuleFindsItsIncidentsAndNothingElse() throws Exception {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(1111)
                .start(Instant.parse("2026-11-10T16:00:00Z"))
                .duration(Duration.ofHours(6))
                .sessionsPerMinute(40)
                .lateRate(0.02).outOfOrderRate(0.05).duplicateRate(0.02)
                .fraudIncidentsPerHour(30)
                .pacing(Pacing.fast())
                .build();
        List<GeneratedEvent> events = new ArrayList<>();
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            for (TrafficGenerator it = new TrafficGenerator(settings); it.hasNext(); ) {
                GeneratedEvent e = it.next();
                events.add(e);
                writer.write(e);
            }
        }
        Path alertsFile = dir.resolve("alerts.jsonl");
        int exit = PulseCli.commandLine().execute("replay", "--quiet", "--execution", "streaming",
                "--clicks", dir.resolve(JsonLinesEventWriter.fileName(Stream.CLICK)).toString(),
                "--orders", dir.resolve(JsonLinesEventWriter.fileName(Stream.ORDER)).toString(),
                "--out", dir.resolve("values.jsonl").toString(), "--alerts", alertsFile.toString(),
                "-Dpulse.families=risk");
        assertThat(exit).isZero();
        List<AlertRecord> alerts = Files.readAllLines(alertsFile).stream()
                .map(line -> Json.read(line, AlertRecord.class)).toList();

        AlertMaker keys = new AlertMaker("");
        Map<String, String> incidentOfOrder = new HashMap<>();
        Map<String, Set<String>> incidents = new TreeMap<>();
        for (GeneratedEvent e : events) {
            if (e.stream() != Stream.ORDER || e.label() == null) {
                continue;
            }
            OrderEvent o = Json.read(e.json(), OrderEvent.class);
            incidentOfOrder.put(o.orderId, e.label());
            if (e.label().startsWith("fraud:")) {
                RiskRule rule = RiskRule.of(e.label().substring("fraud:".length()));
                String raw = switch (rule.keyKind()) {
                    case USER -> o.userId;
                    case DEVICE -> o.deviceId;
                    case IP -> o.ip;
                };
                incidents.computeIfAbsent(rule.code(), r -> new HashSet<>()).add(keys.key(rule.keyKind(), raw));
            }
        }
        assertThat(incidents.keySet()).hasSize(RiskRule.values().length);
        assertThat(incidentOfOrder.values()).anyMatch(l -> l.startsWith("lookalike:"));

        Map<String, double[]> quality = new TreeMap<>();
        for (RiskRule rule : RiskRule.values()) {
            List<AlertRecord> fired = alerts.stream().filter(a -> a.rule.equals(rule.code())).toList();
            long right = fired.stream().filter(a -> a.evidence.orderIds.stream()
                    .allMatch(id -> ("fraud:" + rule.code()).equals(incidentOfOrder.get(id)))).count();
            Set<String> found = fired.stream().map(a -> a.key).collect(Collectors.toSet());
            Set<String> expected = incidents.get(rule.code());
            long caught = expected.stream().filter(found::contains).count();
            double precision = fired.isEmpty() ? 0 : (double) right / fired.size();
            double recall = (double) caught / expected.size();
            quality.put(rule.code(), new double[] {expected.size(), fired.size(), precision, recall});
        }
        System.out.println("risk rule quality (incidents, alerts, precision, recall):");
        quality.forEach((rule, q) -> System.out.printf("  %-24s %4.0f %4.0f %.3f %.3f%n", rule, q[0], q[1], q[2], q[3]));
        quality.forEach((rule, q) -> {
            assertThat(q[2]).as("precision of " + rule).isGreaterThanOrEqualTo(0.95);
            assertThat(q[3]).as("recall of " + rule).isGreaterThanOrEqualTo(0.95);
        });

        // exactly the firings of the plain recomputation. A user's events come in order (one partition), so a user
        // rule fires at the same event; orders from one device or ip come from many users' partitions, in whatever
        // order they meet: the same firings, each at or after the recomputed moment
        Map<String, Instant> recomputed = new TreeMap<>();
        RiskRecompute.of(events).firings().forEach(f -> recomputed.put(
                f.rule().code() + " " + keys.key(f.rule().keyKind(), f.key()), f.at()));
        Map<String, Instant> engine = new TreeMap<>();
        alerts.forEach(a -> assertThat(engine.put(a.rule + " " + a.key, Instant.parse(a.firedAt))).isNull());
        assertThat(engine.keySet()).isEqualTo(recomputed.keySet());
        engine.forEach((firing, at) -> {
            if (firing.startsWith("shared_")) {
                assertThat(at).as(firing).isAfterOrEqualTo(recomputed.get(firing));
            } else {
                assertThat(at).as(firing).isEqualTo(recomputed.get(firing));
            }
        });
        assertThat(alerts.stream().map(a -> a.alertId).distinct()).hasSize(alerts.size());
    }
}
