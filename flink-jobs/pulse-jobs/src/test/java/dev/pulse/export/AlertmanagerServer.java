package dev.pulse.export;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager (the Debian package's {@code prometheus-alertmanager}) as a child process on a free loopback
 * port, alone (no cluster), with the configuration given. Closing it always ends the process.
 */
final class AlertmanagerServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private AlertmanagerServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The binary on PATH; a missing one fails the test, it is never skipped. */
    static Path binary() {
        return onPath("prometheus-alertmanager");
    }

    static Path amtool() {
        return onPath("amtool");
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("Alertmanager is not installed: no `" + name + "` on PATH. This test needs the real server. "
                + "Run .ci/run (it calls .ci/install-servers.sh), or `bash .ci/install-servers.sh` once.");
    }

    static AlertmanagerServer start(Path config, Path workDir) throws IOException {
        int port = PrometheusServer.freePort();
        Path log = workDir.resolve("alertmanager.log");
        Process process = new ProcessBuilder(binary().toString(),
                "--config.file=" + config,
                "--storage.path=" + Files.createDirectories(workDir.resolve("alertmanager-data")),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerServer server = new AlertmanagerServer(process, log, port);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(server::isReady);
        } catch (RuntimeException | Error e) {
            String output = server.output();
            server.close();
            throw new AssertionError("Alertmanager did not become ready; its output:\n" + output, e);
        }
        return server;
    }

    /** Where Prometheus sends alerts. */
    String address() {
        return "127.0.0.1:" + port;
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private boolean isReady() {
        if (!process.isAlive()) {
            throw new AssertionError("Alertmanager exited with " + process.exitValue() + ":\n" + output());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address() + "/-/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
