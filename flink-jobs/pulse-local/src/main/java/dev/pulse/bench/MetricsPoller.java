package dev.pulse.bench;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.local.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the exporter's /metrics every {@link #PERIOD} as a scraper would and notes when each page-view value first
 * showed. A shown value carries no window; it is matched to the newest window in which the job published that
 * exact value (running values for {@code _current_minute}, final ones for {@code _last_minute}), which is the
 * only window the exporter can be showing it for.
 */
final class MetricsPoller implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(100);

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI metrics;
    private final SeriesWindows series;
    private final Sightings live;
    private final Sightings finals;
    private final Sightings shown;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long polls;
    private volatile long unmatched;

    MetricsPoller(URI metrics, SeriesWindows series, Sightings live, Sightings finals, Sightings shown) {
        this.metrics = metrics;
        this.series = series;
        this.live = live;
        this.finals = finals;
        this.shown = shown;
        this.thread = new Thread(this::poll, "bench-metrics-poller");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long polls() {
        return polls;
    }

    /** Shown values no published value matched (expected 0). */
    long unmatched() {
        return unmatched;
    }

    private void poll() {
        String current = MetricDefinition.PAGE_VIEWS.runningName();
        String last = MetricDefinition.PAGE_VIEWS.finalName();
        HttpRequest request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).GET().build();
        while (!stopped) {
            long started = System.currentTimeMillis();
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                long now = System.currentTimeMillis();
                for (PrometheusText.Sample s : PrometheusText.parse(body).samples()) {
                    boolean isCurrent = s.name().equals(current);
                    if (!isCurrent && !s.name().equals(last)) {
                        continue;
                    }
                    int id = series.series(s.labels().get("channel"), s.labels().get("platform"));
                    long key = (isCurrent ? live : finals).newestKeyWithValue(id, s.value());
                    if (key < 0) {
                        unmatched++;
                    } else {
                        shown.add(key, now, s.value());
                    }
                }
                polls++;
                Thread.sleep(Math.max(0, PERIOD.toMillis() - (System.currentTimeMillis() - started)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                // the exporter is not up yet, or busy: the next poll tries again
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
