package dev.pulse.bench;

import dev.pulse.config.PulseOptions;
import dev.pulse.model.Stream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the spec of each run: the user's Pulse options, then what the benchmark owns (servers, its topics, a
 * consumer group and checkpoint folder of the run's own, earliest offsets, the parallelism).
 */
final class RunSpecs {
    static final String METRICS = "metrics";
    static final String LIVE = "metrics-live";
    static final String DEAD_LETTERS = "dead-letters";
    static final String ALERTS = "alerts";
    static final String LIVE_ALERTS = "alerts-live";
    static final String SQL_PAGE_VIEWS = sqlOutput(SqlTwin.PAGE_VIEWS);
    static final String SQL_ORDERS = sqlOutput(SqlTwin.ORDERS);
    static final String SQL_ORDERS_DAY = sqlOutput(SqlTwin.ORDERS_DAY);
    static final String SQL_ORDERS_DAY_TOTAL = sqlOutput(SqlTwin.ORDERS_DAY_TOTAL);
    static final String SQL_NET_GMV_DAY = sqlOutput(SqlTwin.NET_GMV_DAY);
    static final String SQL_USERS = sqlOutput(SqlTwin.USERS);
    static final String SQL_SESSIONS_DAY = sqlOutput(SqlTwin.SESSIONS_DAY);
    static final String SQL_AD_CTR = sqlOutput(SqlTwin.AD_CTR);
    static final String SQL_AD_SPEND = sqlOutput(SqlTwin.AD_SPEND);

    private final Map<String, String> pulseOptions;
    private final int parallelism;
    private final String managedMemory;
    private final Path workDir;
    private final String bootstrapServers;

    RunSpecs(Map<String, String> pulseOptions, int parallelism, String managedMemory, Path workDir,
             String bootstrapServers) {
        this.pulseOptions = pulseOptions;
        this.parallelism = parallelism;
        this.managedMemory = managedMemory;
        this.workDir = workDir;
        this.bootstrapServers = bootstrapServers;
    }

    RunSpec spec(Variant variant, int round, String runId) {
        RunSpec spec = new RunSpec();
        spec.variant = variant.code;
        spec.round = round;
        spec.runId = runId;
        spec.managedMemory = managedMemory;
        Map<String, String> o = new LinkedHashMap<>(pulseOptions);
        o.put(PulseOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        o.put(PulseOptions.CLICKS_TOPIC.key(), BenchTopics.input(Stream.CLICK.code()));
        o.put(PulseOptions.ORDERS_TOPIC.key(), BenchTopics.input(Stream.ORDER.code()));
        o.put(PulseOptions.ADS_TOPIC.key(), BenchTopics.input(Stream.AD.code()));
        o.put(PulseOptions.METRICS_TOPIC.key(), BenchTopics.output(runId, METRICS));
        o.put(PulseOptions.LIVE_METRICS_TOPIC.key(), BenchTopics.output(runId, LIVE));
        o.put(PulseOptions.DEAD_LETTERS_TOPIC.key(), BenchTopics.output(runId, DEAD_LETTERS));
        o.put(PulseOptions.ALERTS_TOPIC.key(), BenchTopics.output(runId, ALERTS));
        o.put(PulseOptions.LIVE_ALERTS_TOPIC.key(), BenchTopics.output(runId, LIVE_ALERTS));
        o.put(PulseOptions.GROUP_ID.key(), "pulse-bench-" + runId);
        o.put(PulseOptions.STARTING_OFFSETS.key(), "earliest");
        o.put(PulseOptions.PARALLELISM.key(), Integer.toString(parallelism));
        o.put(PulseOptions.CHECKPOINT_DIR.key(), folder(runId).resolve("checkpoints").toUri().toString());
        spec.options = o;
        for (String output : SqlTwin.OUTPUTS) {
            spec.sqlTopics.put(output, BenchTopics.output(runId, sqlOutput(output)));
        }
        return spec;
    }

    /**
     * Whether the output is an upsert topic (a row per key, changed by later records; its latest row per key is the
     * value, {@link OutputTopics#latestPerKey}), not a log of rows.
     */
    static boolean isUpsert(String output) {
        return SqlTwin.UPSERTS.stream().anyMatch(twinOutput -> sqlOutput(twinOutput).equals(output));
    }

    /** The name of a twin's output among the run's outputs, and in the report. */
    private static String sqlOutput(String twinOutput) {
        return "sql-" + twinOutput;
    }

    Path folder(String runId) {
        return workDir.resolve("runs").resolve(runId);
    }

    static List<String> outputTopics(Variant variant, String runId) {
        return switch (variant) {
            case RAW, PARSE, KEYED -> List.of();
            case PULSE -> List.of(BenchTopics.output(runId, METRICS), BenchTopics.output(runId, LIVE),
                    BenchTopics.output(runId, DEAD_LETTERS), BenchTopics.output(runId, ALERTS),
                    BenchTopics.output(runId, LIVE_ALERTS));
            case SQL_TUNED, SQL_PLAIN -> SqlTwin.OUTPUTS.stream()
                    .map(output -> BenchTopics.output(runId, sqlOutput(output))).toList();
        };
    }
}
