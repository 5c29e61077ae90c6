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
    static final String SQL_PAGE_VIEWS = "sql-page-views";
    static final String SQL_ORDERS = "sql-orders";
    static final String SQL_ORDERS_DAY = "sql-orders-day";
    static final String SQL_ORDERS_DAY_TOTAL = "sql-orders-day-total";
    /** An upsert topic: its latest row per key is the value ({@link OutputTopics#latestPerKey}). */
    static final String SQL_NET_GMV_DAY = "sql-net-gmv-day";
    static final String SQL_USERS = "sql-users";
    /** An upsert topic, as {@link #SQL_NET_GMV_DAY}. */
    static final String SQL_SESSIONS_DAY = "sql-sessions-day";
    static final String SQL_AD_CTR = "sql-ad-ctr";
    static final String SQL_AD_SPEND = "sql-ad-spend";

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
        spec.sqlTopics.put(SqlTwin.PAGE_VIEWS, BenchTopics.output(runId, SQL_PAGE_VIEWS));
        spec.sqlTopics.put(SqlTwin.ORDERS, BenchTopics.output(runId, SQL_ORDERS));
        spec.sqlTopics.put(SqlTwin.ORDERS_DAY, BenchTopics.output(runId, SQL_ORDERS_DAY));
        spec.sqlTopics.put(SqlTwin.ORDERS_DAY_TOTAL, BenchTopics.output(runId, SQL_ORDERS_DAY_TOTAL));
        spec.sqlTopics.put(SqlTwin.NET_GMV_DAY, BenchTopics.output(runId, SQL_NET_GMV_DAY));
        spec.sqlTopics.put(SqlTwin.USERS, BenchTopics.output(runId, SQL_USERS));
        spec.sqlTopics.put(SqlTwin.SESSIONS_DAY, BenchTopics.output(runId, SQL_SESSIONS_DAY));
        spec.sqlTopics.put(SqlTwin.AD_CTR, BenchTopics.output(runId, SQL_AD_CTR));
        spec.sqlTopics.put(SqlTwin.AD_SPEND, BenchTopics.output(runId, SQL_AD_SPEND));
        return spec;
    }

    /** Whether the output is an upsert topic (a row per key, changed by later records), not a log of rows. */
    static boolean isUpsert(String output) {
        return output.equals(SQL_NET_GMV_DAY) || output.equals(SQL_SESSIONS_DAY);
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
            case SQL_TUNED, SQL_PLAIN -> List.of(BenchTopics.output(runId, SQL_PAGE_VIEWS),
                    BenchTopics.output(runId, SQL_ORDERS), BenchTopics.output(runId, SQL_ORDERS_DAY),
                    BenchTopics.output(runId, SQL_ORDERS_DAY_TOTAL), BenchTopics.output(runId, SQL_NET_GMV_DAY),
                    BenchTopics.output(runId, SQL_USERS), BenchTopics.output(runId, SQL_SESSIONS_DAY),
                    BenchTopics.output(runId, SQL_AD_CTR),
                    BenchTopics.output(runId, SQL_AD_SPEND));
        };
    }
}
