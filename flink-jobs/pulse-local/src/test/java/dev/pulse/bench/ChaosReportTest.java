package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.bench.ChaosSchedule.Fault;
import dev.pulse.bench.ChaosSchedule.Kind;
import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    @Test
    void reportsTheFaultsTheRecoveryTimesAndTheDifferences() {
        String md = report().markdown();

        assertThat(md).startsWith("## Proof under stress (chaos): 2026-12-07, commit abc1234\n")
                .contains("- Command: `./pulse bench --mode chaos --seed 7`")
                .contains("1,400 events (click 600, order 100, ad 700)")
                .contains("2 TaskManagers lost, 1 whole-job restart from the latest retained checkpoint, "
                        + "2 stop-with-savepoint and resume (parallelism 2 -> 3 -> 1), 1 Kafka broker restart; "
                        + "3 restarts counted by Flink")
                .contains("checkpoints every 2000 ms")
                .contains("failure-free run 60.0 s, chaos run 240.0 s")
                .contains("Running values: 8 of the 10 windows")
                .contains("4 windows got a correction after closing in the chaos run, 1 in the failure-free run")
                .containsPattern("\\| final records written twice \\(same window, same value in a row\\) +\\| 5,000 +\\| 0 +\\|")
                .containsPattern("\\| final values \\(metric, labels, window\\), read_committed +\\| 5,000 +\\| 0 +\\|")
                .containsPattern("\\| final alerts, read_committed +\\| 12 +\\| 0 +\\|")
                .containsPattern("\\| TaskManager lost +\\| 2 +\\| 4.0 / 5.0 / 6.0 +\\| 6.0 / 7.5 / 9.0 +\\|")
                .contains("Method: docs/benchmarks.md, \"Chaos mode\".");
    }

    private static ChaosReport report() {
        List<ChaosBench.Recovery> recoveries = List.of(
                new ChaosBench.Recovery(new Fault(Kind.TASK_MANAGER_LOSS, 0, 100, 0), 4000, 6000, 1),
                new ChaosBench.Recovery(new Fault(Kind.RESCALE, 1, 200, 3), 8000, 10000, 0),
                new ChaosBench.Recovery(new Fault(Kind.TASK_MANAGER_LOSS, 2, 300, 0), 6000, 9000, 1),
                new ChaosBench.Recovery(new Fault(Kind.JOB_RESTART, 3, 400, 0), 7000, 9500, 0),
                new ChaosBench.Recovery(new Fault(Kind.BROKER_RESTART, 4, 500, 0), 15000, 20000, 1),
                new ChaosBench.Recovery(new Fault(Kind.RESCALE, 5, 600, 1), 7000, 9000, 0));
        ChaosBench.Outcome outcome = new ChaosBench.Outcome(
                new EnumMap<>(Map.of(Stream.CLICK, 600L, Stream.ORDER, 100L, Stream.AD, 700L)),
                Instant.parse("2026-11-10T16:00:00Z"), Instant.parse("2026-11-11T15:59:59Z"),
                new ChaosBench.RunFigures(60_000, List.of(), 0), new ChaosBench.RunFigures(240_000, recoveries, 3),
                new ChaosComparison.Differences(5000, 0, List.of()), new ChaosComparison.Differences(12, 0, List.of()),
                new ChaosComparison.Convergence(10, 8, 0, List.of()), new ChaosComparison.Convergence(9, 7, 0, List.of()),
                0, 4, 1, PulseSettings.from(Map.of("pulse.checkpoint.interval", "2 s")));
        ChaosBench.Plan plan = new ChaosBench.Plan(7, 120, 24, 2, "512m", Map.of(), Path.of("work"));
        return new ChaosReport("./pulse bench --mode chaos --seed 7", plan, outcome, "abc1234", "test machine",
                LocalDate.parse("2026-12-07"));
    }
}
