package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.bench.ChaosSchedule.Fault;
import dev.pulse.bench.ChaosSchedule.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {

    @Test
    void everyFaultOncePerSliceTheRescalesInOrderAndTheSameSeedTheSamePlan() {
        for (long seed = 1; seed <= 50; seed++) {
            List<Fault> faults = ChaosSchedule.plan(seed, 24, 12);
            assertThat(faults).hasSize(16);
            assertThat(faults.stream().filter(f -> f.kind() == Kind.TASK_MANAGER_LOSS)).hasSize(12);
            assertThat(faults.stream().filter(f -> f.kind() == Kind.JOB_RESTART)).hasSize(1);
            assertThat(faults.stream().filter(f -> f.kind() == Kind.BROKER_RESTART)).hasSize(1);
            assertThat(faults.stream().filter(f -> f.kind() == Kind.RESCALE).map(Fault::parallelism))
                    .containsExactly(3, 1);
            assertThat(faults.stream().map(Fault::slice).distinct()).hasSize(16);
            assertThat(faults).isSortedAccordingTo((a, b) -> Integer.compare(a.slice(), b.slice()));
            assertThat(faults).allSatisfy(f -> {
                assertThat(f.slice()).isBetween(0, 23);
                assertThat(f.delayMillis()).isBetween(0L, ChaosSchedule.MAX_DELAY_MILLIS);
            });
            assertThat(ChaosSchedule.plan(seed, 24, 12)).isEqualTo(faults);
        }
        assertThat(ChaosSchedule.plan(1, 24, 12)).isNotEqualTo(ChaosSchedule.plan(2, 24, 12));
    }

    @Test
    void refusesMoreFaultsThanSlices() {
        assertThatThrownBy(() -> ChaosSchedule.plan(1, 10, 7))
                .hasMessageContaining("11 faults do not fit 10 slices");
    }
}
