package dev.pulse.bench;

import dev.pulse.json.Json;
import dev.pulse.model.AlertRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The chaos run against the failure-free run of the same input: final values window by window, alerts record for
 * record, and whether the running values converged. Each comparison keeps a few examples to print.
 */
final class ChaosComparison {
    static final int EXAMPLES = 5;

    /** How many were compared, how many differ, the first few that do. */
    record Differences(int compared, int differing, List<String> examples) {}

    /**
     * Running values of a run: of the windows with at least one, how many end with a last running value equal to
     * the final value, and how many do not converge: the value a reader of both topics ends with (the last running
     * value, replaced by the final one once there, as the exporter does) differs from the reference final value.
     */
    record Convergence(int windows, int lastRunningIsFinal, int notConverged, List<String> examples) {}

    private ChaosComparison() {}

    /**
     * Every series and window ends with the same committed final value (nothing lost, nothing counted twice). Only
     * the last value counts: a window closed before a correction's event was read (net GMV's refunds) gets the
     * correction as a second final value, and where the watermark stood when the event came depends on how the
     * input arrived, not on failures. Records written twice are counted apart ({@link #writtenTwice}).
     */
    static Differences finals(RunOutputs run, RunOutputs reference) {
        TreeSet<String> keys = new TreeSet<>(run.finals().keySet());
        keys.addAll(reference.finals().keySet());
        List<String> examples = new ArrayList<>();
        int differing = 0;
        for (String key : keys) {
            Double got = run.finalValue(key);
            Double expected = reference.finalValue(key);
            if (!Objects.equals(got, expected)) {
                differing++;
                if (examples.size() < EXAMPLES) {
                    examples.add(key + ": " + got + ", failure-free " + expected);
                }
            }
        }
        return new Differences(keys.size(), differing, examples);
    }

    /**
     * Windows with the same final value committed twice in a row: a record the exactly-once sink wrote twice (a
     * correction always changes the value).
     */
    static int writtenTwice(RunOutputs run) {
        int twice = 0;
        for (List<Double> values : run.finals().values()) {
            for (int i = 1; i < values.size(); i++) {
                if (values.get(i).equals(values.get(i - 1))) {
                    twice++;
                    break;
                }
            }
        }
        return twice;
    }

    /** Windows with more than one committed final value: corrected after they closed. */
    static int corrected(RunOutputs run) {
        return (int) run.finals().values().stream().filter(v -> v.size() > 1).count();
    }

    /** The final alerts as multisets of records: one missing or written twice is a difference. */
    static Differences alerts(RunOutputs run, RunOutputs reference) {
        Map<String, Integer> balance = new HashMap<>();
        run.alerts().forEach(a -> balance.merge(a, 1, Integer::sum));
        reference.alerts().forEach(a -> balance.merge(a, -1, Integer::sum));
        List<String> examples = new ArrayList<>();
        int differing = 0;
        for (Map.Entry<String, Integer> e : balance.entrySet()) {
            if (e.getValue() != 0) {
                differing += Math.abs(e.getValue());
                if (examples.size() < EXAMPLES) {
                    examples.add(describe(e.getKey()) + (e.getValue() > 0 ? " extra " : " missing ")
                            + Math.abs(e.getValue()));
                }
            }
        }
        return new Differences(Math.max(run.alerts().size(), reference.alerts().size()), differing, examples);
    }

    static Convergence running(RunOutputs run, RunOutputs reference) {
        int lastIsFinal = 0;
        int notConverged = 0;
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, Double> e : run.lastRunning().entrySet()) {
            Double expected = reference.finalValue(e.getKey());
            if (e.getValue().equals(run.finalValue(e.getKey()))) {
                lastIsFinal++;
            }
            Double shown = run.finalValue(e.getKey()) != null ? run.finalValue(e.getKey()) : e.getValue();
            if (!shown.equals(expected)) {
                notConverged++;
                if (examples.size() < EXAMPLES) {
                    examples.add(e.getKey() + ": ends at " + shown + ", failure-free final " + expected);
                }
            }
        }
        return new Convergence(run.lastRunning().size(), lastIsFinal, notConverged, examples);
    }

    /** An alert without its key (a hashed user): rule, severity and window. */
    private static String describe(String alertJson) {
        AlertRecord a = Json.read(alertJson, AlertRecord.class);
        return a.rule + "/" + a.severity + "@" + a.windowStart;
    }
}
