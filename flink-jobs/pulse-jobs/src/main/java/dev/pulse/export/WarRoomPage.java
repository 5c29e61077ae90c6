package dev.pulse.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.pulse.json.Json;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The war-room "big screen", served on the exporter's own port next to {@code /metrics} (the HTTP server's
 * handler for every other path): the page on {@code /} and {@code /war-room}, its script and style under
 * {@code /war-room/}, its numbers as JSON on {@code /api/war-room} ({@link WarRoomValues}, read from a scrape of
 * the same registry) and the browser libraries of the class path's WebJars under {@code /webjars/} (no CDN: the
 * page works on a laptop without internet).
 */
final class WarRoomPage implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WarRoomPage.class);
    private static final String PAGE_DIR = "dev/pulse/export/war-room/";
    private static final Map<String, String> PAGE_FILES = Map.of(
            "/", "index.html",
            "/war-room", "index.html",
            "/war-room/", "index.html",
            "/war-room/war-room.js", "war-room.js",
            "/war-room/war-room.css", "war-room.css");
    /** Path segments of a WebJar file: no "..", no empty segment, nothing a class-path lookup would misread. */
    private static final Pattern WEBJAR_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private final PrometheusRegistry registry;
    private final MinuteHistory history;
    private final ExporterSettings settings;
    private final Clock clock;
    private final Map<String, byte[]> resources = new ConcurrentHashMap<>();

    WarRoomPage(PrometheusRegistry registry, MinuteHistory history, ExporterSettings settings, Clock clock) {
        this.registry = registry;
        this.history = history;
        this.settings = settings;
        this.clock = clock;
    }

    /** Feeds the minute history from a scrape; also called on a timer, so the charts fill with the page closed. */
    void sampleHistory() {
        try {
            history.sample(new ScrapedGauges(registry.scrape()));
        } catch (RuntimeException e) {
            // a failed sample costs one point of the chart; the timer must keep running
            LOG.warn("War-room minute history: sampling the registry failed: {}", e.toString());
        }
    }

    /** The page's numbers now, from one scrape (which also feeds the minute history). */
    WarRoomValues values() {
        ScrapedGauges gauges = new ScrapedGauges(registry.scrape());
        history.sample(gauges);
        return WarRoomValues.from(gauges, history.minutes(), clock.instant(), settings.timeZone(),
                settings.currency(), settings.gmvTarget());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/war-room")) {
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                send(exchange, 200, "application/json", Json.write(values()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            Optional<String> resource = resourceFor(path);
            Optional<byte[]> body = resource.flatMap(this::classPathFile);
            if (body.isEmpty()) {
                send(exchange, 404, "text/plain; charset=utf-8", ("not found: the war-room page is on /, the "
                        + "metrics on /metrics\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, contentType(resource.get()), body.get());
        } catch (IOException | RuntimeException e) {
            LOG.warn("War-room page: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    e.toString());
            throw e;
        }
    }

    /** The class-path resource a path names, if it is one the page serves. */
    static Optional<String> resourceFor(String path) {
        String pageFile = PAGE_FILES.get(path);
        if (pageFile != null) {
            return Optional.of(PAGE_DIR + pageFile);
        }
        if (path.startsWith("/webjars/") && WEBJAR_PATH.matcher(path.substring("/webjars/".length())).matches()) {
            return Optional.of("META-INF/resources" + path);
        }
        return Optional.empty();
    }

    private Optional<byte[]> classPathFile(String resource) {
        byte[] cached = resources.get(resource);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = WarRoomPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            resources.put(resource, bytes); // bounded: only files that exist on the class path get here
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (resource.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (resource.endsWith(".json") || resource.endsWith(".map")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }
}
