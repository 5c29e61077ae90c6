package dev.pulse.local;

import dev.pulse.local.ViewSnapshot.MetricRow;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's live view in the terminal: every few seconds it reads the exporter's {@code /metrics} (the same
 * numbers a dashboard would show) and the generator's counters, and redraws. On a terminal it clears the screen
 * and draws a table; otherwise (a pipe, a CI log) it appends one line per refresh.
 */
public final class TerminalView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalView.class);
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final String ROW = "%-24s%14s%16s\n";
    /** Below this, a rate would be mostly noise (the first refresh comes right after the start). */
    private static final double MIN_RATE_INTERVAL_SECONDS = 0.5;

    private final URI metricsUri;
    private final ToLongFunction<Stream> sentCounter;
    private final Supplier<String> jobStatus;
    private final String footer;
    private final Duration refresh;
    private final PrintStream out;
    private final boolean ansi;
    private final long startedNanos;
    private final Supplier<List<AlertRecord>> alerts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pulse-terminal-view");
        t.setDaemon(true);
        return t;
    });
    private Map<Stream, Long> previousSent;
    private long previousNanos;

    /**
     * @param metricsUri the exporter's /metrics
     * @param sentCounter events sent so far by the generator, per stream
     * @param jobStatus the Flink job's status
     * @param alerts the newest risk alerts, newest first
     * @param footer a last line (where to look, how to stop)
     * @param startedNanos {@link System#nanoTime()} when the demo started, for the uptime
     */
    public TerminalView(URI metricsUri, ToLongFunction<Stream> sentCounter, Supplier<String> jobStatus,
            Supplier<List<AlertRecord>> alerts, String footer, Duration refresh, PrintStream out, boolean ansi,
            long startedNanos) {
        this.alerts = alerts;
        this.metricsUri = metricsUri;
        this.sentCounter = sentCounter;
        this.jobStatus = jobStatus;
        this.footer = footer;
        this.refresh = refresh;
        this.out = out;
        this.ansi = ansi;
        this.startedNanos = startedNanos;
        this.previousSent = sentNow();
        this.previousNanos = System.nanoTime();
    }

    /** Whether standard output is an interactive terminal that understands ANSI escapes. */
    public static boolean stdoutIsTerminal() {
        // Java 17: console() is null as soon as standard input or output is redirected
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** Draws now and then every refresh interval, on a daemon thread. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::draw, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void draw() {
        try {
            ViewSnapshot snapshot = snapshot();
            out.print(ansi ? CLEAR_SCREEN + screen(snapshot, footer) : line(snapshot) + "\n");
            out.flush();
        } catch (RuntimeException e) {
            // a view that stops drawing is better than a demo that stops: say why in the log
            LOG.warn("terminal view could not refresh", e);
        }
    }

    ViewSnapshot snapshot() {
        long now = System.nanoTime();
        Map<Stream, Long> sent = sentNow();
        Map<Stream, Double> rates = rates(previousSent, sent, (now - previousNanos) / 1e9);
        previousSent = sent;
        previousNanos = now;

        List<MetricRow> rows = ViewSnapshot.unknownRows();
        List<MetricRow> dayRows = ViewSnapshot.unknownDayRows();
        SortedMap<String, Long> deadLetters = new TreeMap<>();
        String problem = null;
        try {
            PrometheusText metrics = PrometheusText.parse(scrape());
            rows = ViewSnapshot.metricRows(metrics);
            dayRows = ViewSnapshot.dayRows(metrics);
            deadLetters = ViewSnapshot.deadLettersByReason(metrics);
        } catch (IOException | IllegalArgumentException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        String status = jobStatus.get();
        return new ViewSnapshot(Duration.ofNanos(now - startedNanos), status == null ? "unknown" : status, sent,
                rates, rows, dayRows, deadLetters, problem, alerts.get());
    }

    private String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metricsUri)
                        .timeout(Duration.ofSeconds(2))
                        .header("Accept", "text/plain; version=0.0.4")
                        .GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metricsUri + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private Map<Stream, Long> sentNow() {
        Map<Stream, Long> sent = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            sent.put(s, sentCounter.applyAsLong(s));
        }
        return sent;
    }

    /** Events per second per stream between two readings of the counters; empty when too close together. */
    static Map<Stream, Double> rates(Map<Stream, Long> before, Map<Stream, Long> after, double seconds) {
        Map<Stream, Double> rates = new EnumMap<>(Stream.class);
        if (seconds >= MIN_RATE_INTERVAL_SECONDS) {
            after.forEach((s, n) -> rates.put(s, (n - before.getOrDefault(s, 0L)) / seconds));
        }
        return rates;
    }

    /** The full-screen table (without the escape that clears the screen). */
    static String screen(ViewSnapshot s, String footer) {
        StringBuilder b = new StringBuilder();
        b.append("Pulse demo | up ").append(uptime(s.uptime())).append(" | Flink job ").append(s.jobStatus())
                .append("\n\n");
        b.append(String.format(Locale.ROOT, ROW, "Generator", "events/s", "sent"));
        for (Stream stream : Stream.values()) {
            b.append(String.format(Locale.ROOT, ROW, "  " + stream.code(), rate(s.eventsPerSecond().get(stream)),
                    count(s.sent().get(stream))));
        }
        b.append("\n");
        b.append(String.format(Locale.ROOT, ROW, "Metrics", "last minute", "current minute"));
        rows(b, s.metrics());
        if (s.exporterProblem() != null) {
            b.append("  exporter not readable: ").append(s.exporterProblem()).append("\n");
        }
        b.append("\n");
        b.append(String.format(Locale.ROOT, ROW, "Business day", "yesterday", "today so far"));
        rows(b, s.dayMetrics());
        b.append("\n");
        b.append("Dead letters since the exporter started").append("\n");
        if (s.deadLettersByReason().isEmpty()) {
            b.append("  none").append("\n");
        }
        s.deadLettersByReason().forEach((reason, n) ->
                b.append(String.format(Locale.ROOT, "%-24s%14s\n", "  " + reason, count(n))));
        b.append("\n").append("Latest risk alerts (pulse.alerts.live)").append("\n");
        if (s.latestAlerts().isEmpty()) {
            b.append("  none").append("\n");
        }
        for (AlertRecord a : s.latestAlerts()) {
            b.append("  ").append(alert(a)).append("\n");
        }
        b.append("\n").append(footer).append("\n");
        return b.toString();
    }

    private static void rows(StringBuilder b, List<MetricRow> rows) {
        for (MetricRow row : rows) {
            b.append(String.format(Locale.ROOT, ROW, "  " + row.label(), value(row.last(), row.money()),
                    value(row.current(), row.money())));
        }
    }

    /** One line for logs: the same numbers as the screen, without the layout. */
    static String line(ViewSnapshot s) {
        List<String> rates = new ArrayList<>();
        for (Stream stream : Stream.values()) {
            rates.add(stream.code() + " " + rate(s.eventsPerSecond().get(stream)));
        }
        List<String> last = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (MetricRow row : s.metrics()) {
            last.add(row.label() + " " + value(row.last(), row.money()));
            current.add(row.label() + " " + value(row.current(), row.money()));
        }
        List<String> today = new ArrayList<>();
        for (MetricRow row : s.dayMetrics()) {
            today.add(row.label() + " " + value(row.current(), row.money()));
        }
        long deadLetterTotal = s.deadLettersByReason().values().stream().mapToLong(Long::longValue).sum();
        List<String> reasons = new ArrayList<>();
        s.deadLettersByReason().forEach((reason, n) -> reasons.add(reason + " " + count(n)));
        return "[" + uptime(s.uptime()) + "] job " + s.jobStatus()
                + " | events/s: " + String.join(", ", rates)
                + " | last minute: " + String.join(", ", last)
                + " | current minute: " + String.join(", ", current)
                + " | today: " + String.join(", ", today)
                + " | dead letters: " + count(deadLetterTotal)
                + (reasons.isEmpty() ? "" : " (" + String.join(", ", reasons) + ")")
                + (s.latestAlerts().isEmpty() ? "" : " | latest alert: " + alert(s.latestAlerts().get(0)))
                + (s.exporterProblem() == null ? "" : " | exporter not readable: " + s.exporterProblem());
    }

    /** {@code 02:14:09Z critical coupon_abuse user:3f2a91c0 count=1 orders=1 amount=81.00}: the key cut short. */
    static String alert(AlertRecord a) {
        String time = a.firedAt.length() >= 19 ? a.firedAt.substring(11, 19) + "Z" : a.firedAt;
        String key = a.key.length() > 16 ? a.key.substring(0, a.key.indexOf(':') + 9) : a.key;
        return String.format(Locale.ROOT, "%s %-8s %-22s %-14s count=%d orders=%d%s", time, a.severity, a.rule, key,
                a.evidence.count, a.evidence.orderIds.size(),
                a.evidence.amount == null ? "" : " amount=" + a.evidence.amount.toPlainString());
    }

    private static String uptime(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static String rate(Double perSecond) {
        return perSecond == null ? "-" : String.format(Locale.ROOT, "%,.1f", perSecond);
    }

    private static String count(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String value(OptionalDouble v, boolean money) {
        if (v.isEmpty()) {
            return "-";
        }
        return money ? String.format(Locale.ROOT, "%,.2f", v.getAsDouble())
                : String.format(Locale.ROOT, "%,d", Math.round(v.getAsDouble()));
    }
}
