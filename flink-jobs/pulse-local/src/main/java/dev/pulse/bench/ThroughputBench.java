package dev.pulse.bench;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import dev.pulse.json.Json;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The throughput mode: every variant over the same loaded topics, each run in a fresh JVM, rounds alternating
 * (A B C D A B C D), then one untimed run of the metrics job that snapshots its state once everything is read.
 */
final class ThroughputBench {

    /** What to run. */
    record Plan(int rounds, List<Variant> variants, int parallelism, String heap, String managedMemory,
                boolean profile, boolean measureState, Map<String, String> pulseOptions, Path workDir) {}

    /** Everything measured. */
    record Outcome(List<RunResult> runs, RunResult state, CpuProfile profile, Map<Variant, SqlAgreement> agreement) {
        List<RunResult> runsOf(Variant v) {
            return runs.stream().filter(r -> r.variant.equals(v.code)).toList();
        }
    }

    /** Every figure of the run as JSON, in the work folder, for tools and the benchmark's own test. */
    static final String RESULTS_FILE = "results.json";

    private final Plan plan;
    private final String bootstrapServers;
    private final BenchTopics topics;
    private final PrintStream out;
    private final VariantProcess processes;
    private final RunSpecs specs;

    ThroughputBench(Plan plan, String bootstrapServers, BenchTopics topics, PrintStream out) {
        this.plan = plan;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.out = out;
        this.processes = new VariantProcess(plan.heap());
        this.specs = new RunSpecs(plan.pulseOptions(), plan.parallelism(), plan.managedMemory(), plan.workDir(),
                bootstrapServers);
    }

    Outcome run(long inputRecords) throws Exception {
        List<RunResult> runs = new ArrayList<>();
        List<CpuProfile.Recording> recordings = new ArrayList<>();
        Map<String, List<String>> firstPulseFinals = new TreeMap<>();
        Map<Variant, Map<String, List<String>>> firstSqlRows = new LinkedHashMap<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (Variant variant : plan.variants()) {
                RunSpec spec = specs.spec(variant, round, "r" + round + "-" + variant.code);
                List<String> outputs = RunSpecs.outputTopics(variant, spec.runId);
                topics.recreate(outputs, 1, false);
                RunResult result = processes.run(spec, specs.folder(spec.runId),
                        plan.profile() && variant == Variant.PULSE);
                if (result.error != null) {
                    throw new IllegalStateException(variant + " run " + spec.runId + " failed: " + result.error
                            + " (see " + specs.folder(spec.runId).resolve("run.log") + ")");
                }
                Map<String, List<String>> written = new LinkedHashMap<>();
                Map<String, Long> changes = new LinkedHashMap<>();
                for (String topic : outputs) {
                    String name = suffix(topic, spec.runId);
                    Map<String, String> client = PulseSettings.from(spec.options).kafkaProperties;
                    if (RunSpecs.isUpsert(name)) {
                        // the rows as they stand at the end: the latest per key
                        List<OutputTopics.KeyedValue> records = OutputTopics.readKeyed(bootstrapServers, client, topic);
                        written.put(name, OutputTopics.latestPerKey(records));
                        changes.put(name + " (changes)", (long) records.size());
                    } else {
                        written.put(name, OutputTopics.readAll(bootstrapServers, client, topic));
                    }
                }
                topics.delete(outputs);
                result.outputRecords = outputCounts(variant, result, written);
                result.outputRecords.putAll(changes);
                if (result.profile != null) {
                    recordings.add(new CpuProfile.Recording(Path.of(result.profile), result.firstRecordMillis,
                            result.lastRecordMillis));
                }
                if (round == 1 && variant == Variant.PULSE) {
                    firstPulseFinals.put("finals", written.get(RunSpecs.METRICS));
                }
                if (round == 1 && variant.isSql()) {
                    firstSqlRows.put(variant, written);
                }
                runs.add(result);
                out.println(progressLine(result, round, inputRecords));
            }
        }
        Map<Variant, SqlAgreement> agreement = new LinkedHashMap<>();
        List<String> pulseFinals = firstPulseFinals.get("finals");
        if (pulseFinals != null) {
            String currency = plan.pulseOptions().getOrDefault(PulseOptions.CURRENCY.key(),
                    PulseOptions.CURRENCY.defaultValue());
            firstSqlRows.forEach((variant, rows) ->
                    agreement.put(variant, SqlAgreement.compare(pulseFinals, rows, currency)));
        }
        RunResult state = plan.measureState() ? measureState(inputRecords) : null;
        CpuProfile profile = recordings.isEmpty() ? null : CpuProfile.of(recordings);
        Outcome outcome = new Outcome(runs, state, profile, agreement);
        Files.writeString(plan.workDir().resolve(RESULTS_FILE), Json.write(outcome));
        return outcome;
    }

    private RunResult measureState(long inputRecords) throws Exception {
        RunSpec spec = specs.spec(Variant.PULSE, 0, "state");
        spec.stateAfterRecords = inputRecords;
        List<String> outputs = RunSpecs.outputTopics(Variant.PULSE, spec.runId);
        topics.recreate(outputs, 1, false);
        out.println("  state      the metrics job reads all " + String.format(Locale.ROOT, "%,d", inputRecords)
                + " events again, then takes a savepoint (untimed)");
        RunResult result = processes.run(spec, specs.folder(spec.runId), false);
        topics.delete(outputs);
        if (result.error != null) {
            throw new IllegalStateException("the state run failed: " + result.error);
        }
        return result;
    }

    /**
     * Records each run delivered: to the discarding sinks (raw, parse, keyed) or committed to its output topics (of an
     * upsert topic, the rows it ends with; the caller adds the records written as its changes).
     */
    private static Map<String, Long> outputCounts(Variant variant, RunResult result, Map<String, List<String>> written) {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (variant.discards()) {
            result.recordsInByOperator.forEach((operator, n) -> {
                String output = VariantJobs.discardedOutput(operator);
                if (output != null) {
                    counts.merge(output, n, Long::sum);
                }
            });
        } else {
            written.forEach((topic, values) -> counts.put(topic, (long) values.size()));
        }
        return counts;
    }

    private static String suffix(String topic, String runId) {
        return topic.substring(BenchTopics.output(runId, "").length());
    }

    private String progressLine(RunResult r, int round, long inputRecords) {
        return String.format(Locale.ROOT, "  round %d/%d  %-10s %,12.0f events/s  %,d of %,d events in %.1f s"
                        + " (start-up %.1f s, shutdown %.1f s)",
                round, plan.rounds(), r.variant, r.eventsPerSecond(), r.sourceRecords, inputRecords,
                r.processingMillis() / 1000.0, r.startupMillis() / 1000.0, r.teardownMillis() / 1000.0);
    }
}
