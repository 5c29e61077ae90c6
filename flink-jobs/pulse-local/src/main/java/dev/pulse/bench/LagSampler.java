package dev.pulse.bench;

import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.local.PrometheusText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Every {@link #PERIOD}, what the spike and recovery modes follow over time: events written so far, the input
 * topics' log-end offsets, the job's source positions and with them the consumer lag ({@link ConsumerLag}), the
 * sources' {@code pendingRecords} and the worst task's backpressure ({@link JobGauges}), and the freshness the
 * exporter serves (age of the newest final minute, as the pipeline-health dashboard computes it).
 */
final class LagSampler implements AutoCloseable {
    static final Duration PERIOD = Duration.ofSeconds(1);
    /**
     * Records appended this recently may still be on their way to the source (fetch, hand-over) while traffic
     * flows, so the instantaneous lag of a job that keeps up is rarely exactly 0: caught up means nothing appended
     * longer ago than this is unread.
     */
    static final Duration IN_FLIGHT = Duration.ofMillis(500);

    /**
     * One observation. {@code lag}: records appended and not read yet, now; {@code backlog}: of those, the ones
     * appended before the latest earlier sample at least {@link #IN_FLIGHT} old (0 means caught up).
     * {@code lag}, {@code backlog} and {@code pendingRecords} are -1 when unknown, {@code freshnessSeconds} NaN
     * before the exporter served a final minute. {@code pageViewFreshnessSeconds}: the same for page views alone
     * (the dashboard's freshness is the newest minute of any metric, which the least loaded stream sets).
     */
    record Sample(long atMillis, long written, long endOffsets, long read, long lag, long backlog,
                  long pendingRecords, long backPressuredMsPerSecond, double freshnessSeconds,
                  double pageViewFreshnessSeconds) {
        boolean caughtUp() {
            return backlog == 0;
        }
    }

    /** End offsets by partition at a time. */
    private record Ends(long atMillis, Map<String, Long> offsets) {}

    private final Admin admin;
    private final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    private final LongSupplier written;
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpRequest exporter;
    private final List<Sample> samples = new ArrayList<>();
    /** Recent end offsets, oldest first, for the backlog. */
    private final java.util.ArrayDeque<Ends> recentEnds = new java.util.ArrayDeque<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Exception failure;
    /** End of the newest final minute in the exporter's latest answer (a slow scrape must not hold up a sample). */
    private volatile double newestMinuteEnd = Double.NaN;
    private volatile double pageViewMinuteEnd = Double.NaN;
    private volatile boolean scraping;

    /**
     * @param metrics the exporter's /metrics; null for no freshness
     */
    LagSampler(String bootstrapServers, Map<String, String> clientProperties, Collection<String> topics,
               int partitionsPerTopic, LongSupplier written, URI metrics) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-bench-lag");
        this.admin = Admin.create(config);
        for (String topic : topics) {
            for (int p = 0; p < partitionsPerTopic; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        this.written = written;
        this.exporter = metrics == null ? null
                : HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30)).GET().build();
        this.thread = new Thread(this::run, "bench-lag-sampler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Takes one sample now, on the caller's thread (the sampler's thread takes them every period). */
    synchronized Sample sample() throws Exception {
        long writtenSoFar = written.getAsLong();
        long at = System.currentTimeMillis();
        Map<String, Long> ends = new HashMap<>();
        ListOffsetsResult offsets = admin.listOffsets(partitions);
        for (TopicPartition tp : partitions.keySet()) {
            ends.put(tp.topic() + "/" + tp.partition(), offsets.partitionResult(tp).get(10, TimeUnit.SECONDS).offset());
        }
        Map<String, Long> current = JobGauges.INSTANCE.currentOffsets();
        long end = ends.values().stream().mapToLong(Long::longValue).sum();
        Ends reference = null;
        while (!recentEnds.isEmpty() && recentEnds.peekFirst().atMillis() <= at - IN_FLIGHT.toMillis()) {
            reference = recentEnds.pollFirst();
        }
        if (reference != null) {
            recentEnds.addFirst(reference); // the newest old enough: the reference of the samples to come too
        }
        recentEnds.addLast(new Ends(at, ends));
        Sample s = new Sample(at, writtenSoFar, end, ConsumerLag.read(current), ConsumerLag.of(ends, current),
                reference == null ? -1 : ConsumerLag.of(reference.offsets(), current),
                JobGauges.INSTANCE.pendingRecords(), JobGauges.INSTANCE.maxBackPressuredMsPerSecond(),
                freshness(System.currentTimeMillis()), System.currentTimeMillis() / 1000.0 - pageViewMinuteEnd);
        synchronized (samples) {
            samples.add(s);
        }
        return s;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The newest sample; null before the first. */
    Sample latest() {
        synchronized (samples) {
            return samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }
    }

    private void run() {
        while (!stopped) {
            long started = System.currentTimeMillis();
            try {
                sample();
                TimeUnit.MILLISECONDS.sleep(Math.max(0, PERIOD.toMillis() - (System.currentTimeMillis() - started)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failure = e;
                return;
            }
        }
    }

    /** Throws what stopped the sampler's thread, if anything did. */
    void check() throws Exception {
        if (failure != null) {
            throw new IllegalStateException("sampling the lag failed: " + failure.getMessage(), failure);
        }
    }

    /** Age of the newest final minute the exporter served last; asks again unless a request is still out. */
    private double freshness(long nowMillis) {
        if (exporter != null && !scraping) {
            scraping = true;
            http.sendAsync(exporter, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                if (error == null) {
                    PrometheusText metrics = PrometheusText.parse(response.body());
                    newestMinuteEnd = newestMinuteEnd(metrics, null);
                    pageViewMinuteEnd = newestMinuteEnd(metrics, MetricDefinition.PAGE_VIEWS.id());
                } // else the exporter is busy or not up yet: no new value this time
                scraping = false;
            });
        }
        return nowMillis / 1000.0 - newestMinuteEnd;
    }

    /**
     * End of the newest final minute the exporter serves, Unix seconds, of one metric or (null) of any; NaN if
     * none. The pipeline-health dashboard shows
     * {@code time() - max(pulse_last_final_window_end_seconds{metric!~".*_day"})}: this max.
     */
    static double newestMinuteEnd(PrometheusText metrics, String metric) {
        double newest = Double.NaN;
        for (PrometheusText.Sample s : metrics.samples()) {
            String id = s.labels().getOrDefault("metric", "");
            if (s.name().equals(EngineMetric.LAST_WINDOW_END.prometheusName()) && !id.endsWith("_day")
                    && (metric == null || metric.equals(id))
                    && !(s.value() <= newest)) {
                newest = s.value();
            }
        }
        return newest;
    }

    /** Stops the sampling thread; {@link #sample()} still works until {@link #close()}. */
    void stop() throws InterruptedException {
        stopped = true;
        if (thread.isAlive()) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }

    /** The samples as CSV, one line each, for a plot or a closer look. */
    String csv() {
        StringBuilder b = new StringBuilder("at_ms,written,end_offsets,read,lag,backlog,pending_records,"
                + "backpressured_ms_per_s,freshness_s,page_view_freshness_s\n");
        for (Sample s : samples()) {
            b.append(s.atMillis()).append(',').append(s.written()).append(',').append(s.endOffsets()).append(',')
                    .append(s.read()).append(',').append(s.lag()).append(',').append(s.backlog()).append(',')
                    .append(s.pendingRecords()).append(',').append(s.backPressuredMsPerSecond()).append(',')
                    .append(decimal(s.freshnessSeconds())).append(',').append(decimal(s.pageViewFreshnessSeconds()))
                    .append('\n');
        }
        return b.toString();
    }

    private static String decimal(double d) {
        return Double.isNaN(d) ? "" : String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        admin.close();
    }
}
