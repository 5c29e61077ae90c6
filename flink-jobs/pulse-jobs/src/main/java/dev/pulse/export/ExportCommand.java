package dev.pulse.export;

import dev.pulse.cli.ConfigMixin;
import dev.pulse.cli.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse export}: serves the results topics to Prometheus on {@code http://HOST:PORT/metrics}, and the
 * war-room page on {@code http://HOST:PORT/} (docs/exporter.md), until Ctrl-C. Options: {@code --host} (default 127.0.0.1; 0.0.0.0 inside a container), {@code --port} (default
 * 9400), {@code --stale-after} (default 5 min: a gauge series not updated for that long is no longer served),
 * {@code --max-series} (10,000 served), {@code --top-campaigns} (20: campaigns and creatives beyond the top by
 * spend are served as {@code other}), {@code --group-id} (where the dead-letter read position is committed; one per
 * exporter instance), {@code --gmv-target AMOUNT} (optional: the business day's GMV target in the shop's currency,
 * {@code pulse.currency}; served as {@code pulse_gmv_target} and as the page's pace), plus the shared
 * {@code --config FILE} and {@code -Dkey=value} for Kafka, topic names, {@code pulse.time-zone} and
 * {@code pulse.currency}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Serve the metric results and dead-letter counts to Prometheus on /metrics until Ctrl-C.")
public class ExportCommand implements Callable<Integer> {

    @Mixin
    ConfigMixin config;

    @Option(names = "--host", defaultValue = ExporterSettings.DEFAULT_HOST,
            description = "Interface to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 in a container).")
    String host;

    @Option(names = "--port", defaultValue = "" + ExporterSettings.DEFAULT_PORT,
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--stale-after", defaultValue = "5 min", converter = DurationConverter.class,
            description = "Stop serving a gauge series not updated for this long, e.g. 90s, 5 min "
                    + "(default: ${DEFAULT-VALUE}). Also how far back the topics are read at start.")
    Duration staleAfter;

    @Option(names = "--max-series", defaultValue = "" + ExporterSettings.DEFAULT_MAX_SERIES,
            description = "Most gauge series served; " + ExporterSettings.STORED_PER_SERVED + " times as many are "
                    + "kept before folding campaigns, values of further ones are dropped and counted "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxSeries;

    @Option(names = "--top-campaigns", defaultValue = "" + ExporterSettings.DEFAULT_TOP_CAMPAIGNS,
            description = "Campaigns, and creatives, served with their own series: the top by spend today; the "
                    + "rest is served as campaign=\"other\" / creative=\"other\" (default: ${DEFAULT-VALUE}).")
    int topCampaigns;

    @Option(names = "--promotion", paramLabel = "START/END",
            description = "A promotion, e.g. 2026-11-11T00:00+08:00/2026-11-12T00:00+08:00 (repeatable): "
                    + "pulse_promotion_active is 1 during it, and the anomaly alerts expect its spike.")
    List<String> promotions = new ArrayList<>();

    @Option(names = "--group-id", defaultValue = ExporterSettings.DEFAULT_GROUP_ID,
            description = "Consumer group for the committed dead-letter position (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--gmv-target", paramLabel = "AMOUNT",
            description = "The business day's GMV target in the shop's currency (pulse.currency), > 0: served as "
                    + "pulse_gmv_target and as the war-room page's pace (optional).")
    Double gmvTarget;

    @Override
    public Integer call() throws Exception {
        ExporterSettings settings = ExporterSettings.from(config.settings())
                .withHost(host).withPort(port).withStaleAfter(staleAfter).withGroupId(groupId)
                .withMaxSeries(maxSeries).withTopCampaigns(topCampaigns).withGmvTarget(gmvTarget)
                .withPromotions(new PromotionSchedule(promotions.stream().map(PromotionSchedule.Interval::parse)
                        .toList()));
        MetricsExporter exporter = MetricsExporter.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(exporter::close, "pulse-exporter-shutdown"));
        System.out.printf("Serving http://%s:%d/metrics and the war-room page http://%s:%d/ from %s "
                + "(Ctrl-C to stop)%n", host, exporter.port(), host, exporter.port(), settings.bootstrapServers());
        exporter.awaitClosed();
        return 0;
    }
}
