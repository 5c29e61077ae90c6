package dev.pulse.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pulse.cli.PulseCli;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.JsonLinesEventWriter;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Exposition;
import dev.pulse.testing.Recompute;
import dev.pulse.testing.TestClusters;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 campaigns (the generator's long tail) through the replay and the exporter: the results carry every
 * campaign seen, more series than the exporter serves; what it serves stays under its limit, keeps the top N
 * campaigns by spend, and the top N plus {@code other} add up to the day's totals of an independent
 * recomputation.
 */
@Timeout(300)
class LongTailCampaignsExportTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();
    private static final int TOP = 20;
    private static final int MAX_SERIES = 2_000;

    @TempDir
    Path dir;

    @Test
    void topCampaignsAndOtherAddUpToTheTotalsAndTheSeriesStayUnderTheLimit() throws Exception {
        GeneratorSettings settings = GeneratorSettings.builder().seed(11)
                .start(Instant.parse("2026-11-11T02:00:00Z")).duration(Duration.ofMinutes(10))
                .sessionsPerMinute(400).campaigns(10_000).pacing(Pacing.fast()).build();
        Map<String, AdEvent> ads = new LinkedHashMap<>();
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            for (TrafficGenerator it = new TrafficGenerator(settings); it.hasNext(); ) {
                GeneratedEvent e = it.next();
                writer.write(e);
                if (e.stream() == Stream.AD) {
                    ads.putIfAbsent(e.eventId(), Json.read(e.json(), AdEvent.class));
                }
            }
        }
        Path out = dir.resolve("values.jsonl");
        assertThat(PulseCli.commandLine().execute("replay", "--quiet",
                "--clicks", dir.resolve(JsonLinesEventWriter.fileName(Stream.CLICK)).toString(),
                "--orders", dir.resolve(JsonLinesEventWriter.fileName(Stream.ORDER)).toString(),
                "--ads", dir.resolve(JsonLinesEventWriter.fileName(Stream.AD)).toString(),
                "--out", out.toString())).isZero();

        TestClock clock = new TestClock(Instant.now());
        ExporterSettings exporter = new ExporterSettings("127.0.0.1:1", "m", "l", "d",
                ExporterSettings.DEFAULT_GROUP_ID, "127.0.0.1", 0, Duration.ofMinutes(5), MAX_SERIES, Map.of()).withTopCampaigns(TOP);
        PrometheusRegistry registry = new PrometheusRegistry();
        LatestValues values = new LatestValues(exporter.maxStoredSeries());
        registry.register(new LatestValuesCollector(values, clock, exporter.staleAfter(), exporter.topCampaigns(),
                exporter.maxSeries()));
        RecordIngest ingest = new RecordIngest(exporter, values, new EngineMetrics(registry, List.of("m", "l", "d")),
                clock);
        for (String line : Files.readAllLines(out)) {
            ingest.accept("m", line.getBytes(UTF_8), clock.millis(), false);
        }
        assertThat(values.snapshot()).hasSizeGreaterThan(MAX_SERIES); // the folding is needed

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(text, registry.scrape());
        Map<String, String> served = Exposition.samples(text.toString(UTF_8));
        assertThat(served.keySet().stream().filter(k -> k.startsWith("ecom_"))).hasSizeLessThan(MAX_SERIES);

        Map<String, Double> expected = Recompute.ads(ads.values(), "CNY", ZoneId.of("Asia/Shanghai"));
        for (String metric : List.of("ad_spend", "ad_clicks", "ad_impressions")) {
            double total = expected.entrySet().stream().filter(e -> e.getKey().startsWith(metric + "/day"))
                    .mapToDouble(Map.Entry::getValue).sum();
            Map<String, Double> byCampaign = served.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("ecom_" + metric + "_last_day{"))
                    .collect(Collectors.groupingBy(e -> campaignOf(e.getKey()),
                            Collectors.summingDouble(e -> Double.parseDouble(e.getValue()))));
            assertThat(byCampaign).containsKey(CampaignFolding.OTHER).hasSize(TOP + 1);
            assertThat(byCampaign.values().stream().mapToDouble(Double::doubleValue).sum()).as(metric)
                    .isCloseTo(total, within(1e-6 * Math.max(1, total)));
        }
        // the campaigns served are the top by spend of the day
        Map<String, Double> spend = expected.entrySet().stream().filter(e -> e.getKey().startsWith("ad_spend/day"))
                .collect(Collectors.groupingBy(e -> campaignOf(e.getKey()),
                        Collectors.summingDouble(Map.Entry::getValue)));
        Set<String> top = spend.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(served.keySet().stream().filter(k -> k.startsWith("ecom_ad_ctr_ratio_last_day{"))
                .map(LongTailCampaignsExportTest::campaignOf).collect(Collectors.toSet()))
                .isEqualTo(union(top, CampaignFolding.OTHER));
    }

    private static Set<String> union(Set<String> a, String b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.add(b);
        return all;
    }

    /** The campaign label of a series written as Prometheus or Recompute writes it. */
    private static String campaignOf(String series) {
        var m = java.util.regex.Pattern.compile("campaign=\"?([^\",}]+)").matcher(series);
        assertThat(m.find()).as(series).isTrue();
        return m.group(1);
    }
}
