package dev.pulse.export;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus exporter of Pulse: reads the final values ({@code pulse.metrics}, read_committed), the running
 * updates ({@code pulse.metrics.live}) and the dead letters, and serves them on {@code http://host:port/metrics}
 * as the catalog's gauges and counters, and the war-room page built from the same scrape on {@code /} (see
 * docs/exporter.md). {@link #start} returns once the HTTP server listens; the gauges fill as the consumer
 * catches up, which takes seconds.
 */
public final class MetricsExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsExporter.class);
    private static final long CONSUMER_STOP_TIMEOUT_SECONDS = 30;

    /** How often the war-room's minute history samples the scrape when nobody has the page open. */
    private static final long HISTORY_SAMPLE_SECONDS = 5;

    private final HTTPServer server;
    private final ResultsConsumer consumer;
    private final Thread consumerThread;
    private final ScheduledExecutorService historySampler;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private MetricsExporter(HTTPServer server, ResultsConsumer consumer, ScheduledExecutorService historySampler) {
        this.server = server;
        this.consumer = consumer;
        this.historySampler = historySampler;
        this.consumerThread = new Thread(consumer, "pulse-exporter-consumer");
        // like the HTTP server's threads: an exporter somebody forgot to close must not keep the JVM alive
        this.consumerThread.setDaemon(true);
    }

    /** Starts reading the topics and serving {@code /metrics}; {@link #close()} stops both. */
    public static MetricsExporter start(ExporterSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** With a clock of the caller's choosing: tests use it to age series past staleAfter. */
    static MetricsExporter start(ExporterSettings settings, Clock clock) {
        PrometheusRegistry registry = new PrometheusRegistry();
        EngineMetrics engineMetrics = new EngineMetrics(registry,
                List.of(settings.metricsTopic(), settings.liveMetricsTopic(), settings.deadLettersTopic()));
        LatestValues values = new LatestValues(settings.maxStoredSeries());
        registry.register(new LatestValuesCollector(values, clock, settings.staleAfter(), settings.topCampaigns(),
                settings.maxSeries()));
        RecordIngest ingest = new RecordIngest(settings, values, engineMetrics, clock);
        engineMetrics.servePromotions(registry, settings.promotions(), clock);
        engineMetrics.serveGmvTarget(registry, settings.gmvTarget());
        MinuteHistory history = new MinuteHistory(settings.currency());
        WarRoomPage page = new WarRoomPage(registry, history, settings, clock);

        HTTPServer server;
        try {
            server = HTTPServer.builder().hostname(settings.host()).port(settings.port()).registry(registry)
                    .defaultHandler(page).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        ResultsConsumer consumer;
        try {
            consumer = new ResultsConsumer(settings, ingest, values, clock);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pulse-exporter-minute-history");
            t.setDaemon(true);
            return t;
        });
        MetricsExporter exporter = new MetricsExporter(server, consumer, sampler);
        exporter.consumerThread.start();
        sampler.scheduleWithFixedDelay(page::sampleHistory, HISTORY_SAMPLE_SECONDS, HISTORY_SAMPLE_SECONDS,
                TimeUnit.SECONDS);
        LOG.info("Serving metrics on http://{}:{}/metrics (war-room page on /) from {}, {} and {}", settings.host(),
                server.getPort(), settings.metricsTopic(), settings.liveMetricsTopic(), settings.deadLettersTopic());
        return exporter;
    }

    /** The port /metrics is served on (the chosen one when started with port 0). */
    public int port() {
        return server.getPort();
    }

    /** Blocks until {@link #close()} has finished (the command's main thread waits here). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops the consumer (committing the dead-letter position) and then the HTTP server. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosedUninterruptibly();
            return;
        }
        try {
            historySampler.shutdownNow();
            consumer.stop();
            consumerThread.join(TimeUnit.SECONDS.toMillis(CONSUMER_STOP_TIMEOUT_SECONDS));
            if (consumerThread.isAlive()) {
                LOG.warn("The exporter's consumer did not stop within {} s", CONSUMER_STOP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            closed.countDown();
        }
    }

    private void awaitClosedUninterruptibly() {
        boolean interrupted = false;
        while (closed.getCount() > 0) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
