package dev.pulse.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** An Alertmanager webhook receiver on a free loopback port: keeps every notification, with the path it came to. */
final class WebhookReceiver implements AutoCloseable {
    /** One alert of a notification, as Alertmanager sent it. */
    record Received(String path, String status, JsonNode labels) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
            synchronized (received) {
                for (JsonNode alert : body.path("alerts")) {
                    received.add(new Received(exchange.getRequestURI().getPath(), alert.path("status").asText(),
                            alert.path("labels")));
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
