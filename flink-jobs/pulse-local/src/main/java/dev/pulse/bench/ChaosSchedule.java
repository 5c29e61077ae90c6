package dev.pulse.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where the chaos mode hurts the job: each fault at a random slice of the day's traffic (at most one per slice) and
 * a random delay after that slice was written, drawn from a seeded {@link Random} so that {@code --seed} repeats a
 * run. The two rescales keep their order (2 -> 3, then 3 -> 1).
 */
final class ChaosSchedule {
    /** The longest delay after a slice is written before its fault: the job is still reading that slice. */
    static final long MAX_DELAY_MILLIS = 2_500;
    /** The parallelism the job starts at, and the two it is rescaled to by stop-with-savepoint and resume. */
    static final int START_PARALLELISM = 2;
    static final int[] RESCALES = {3, 1};

    enum Kind {
        /** The TaskManager is terminated and a new one started: every task fails, Flink restarts the job. */
        TASK_MANAGER_LOSS,
        /** The job is cancelled and submitted again from its latest retained checkpoint (a JobManager loss). */
        JOB_RESTART,
        /** Stop-with-savepoint, then the job resumed from it at another parallelism. */
        RESCALE,
        /** The Kafka broker is stopped and started again (same port, same data). */
        BROKER_RESTART
    }

    /** One fault: after which slice, how long after it was written, and for a rescale the new parallelism. */
    record Fault(Kind kind, int slice, long delayMillis, int parallelism) {
        String describe() {
            return switch (kind) {
                case TASK_MANAGER_LOSS -> "TaskManager lost";
                case JOB_RESTART -> "whole job restarted from its latest retained checkpoint";
                case RESCALE -> "stop-with-savepoint, resumed at parallelism " + parallelism;
                case BROKER_RESTART -> "Kafka broker restarted";
            };
        }
    }

    private ChaosSchedule() {}

    /**
     * The faults in slice order: {@code taskManagerLosses} lost TaskManagers, a job restart, two rescales, a broker
     * restart.
     */
    static List<Fault> plan(long seed, int slices, int taskManagerLosses) {
        List<Kind> kinds = new ArrayList<>(Collections.nCopies(taskManagerLosses, Kind.TASK_MANAGER_LOSS));
        kinds.addAll(List.of(Kind.JOB_RESTART, Kind.RESCALE, Kind.RESCALE, Kind.BROKER_RESTART));
        if (kinds.size() > slices) {
            throw new IllegalArgumentException(kinds.size() + " faults do not fit " + slices + " slices (one per slice)");
        }
        Random random = new Random(seed);
        List<Integer> at = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            at.add(s);
        }
        Collections.shuffle(at, random);
        at = new ArrayList<>(at.subList(0, kinds.size()));
        Collections.sort(at);
        Collections.shuffle(kinds, random);
        List<Fault> faults = new ArrayList<>();
        int rescales = 0;
        for (int i = 0; i < kinds.size(); i++) {
            Kind kind = kinds.get(i);
            int parallelism = kind == Kind.RESCALE ? RESCALES[rescales++] : 0;
            faults.add(new Fault(kind, at.get(i), (long) (random.nextDouble() * MAX_DELAY_MILLIS), parallelism));
        }
        return faults;
    }
}
