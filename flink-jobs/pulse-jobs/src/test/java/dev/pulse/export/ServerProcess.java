package dev.pulse.export;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server from the distribution's packages as a child process on a loopback port, its output in a log file:
 * started, waited for until its {@code /-/ready} answers, always ended on close.
 */
abstract class ServerProcess implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    final int port;

    ServerProcess(List<String> command, Path log, int port) throws IOException {
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        this.log = log;
        this.port = port;
    }

    /** A binary on PATH; a missing one fails the test with how to install it, it is never skipped. */
    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("`" + name + "` is not installed (not on PATH). The end-to-end tests need the real servers: run "
                + ".ci/run (it calls .ci/install-servers.sh), or `bash .ci/install-servers.sh` once, then the tests.");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits for readiness; a server that does not get ready is stopped and its output shown. */
    <S extends ServerProcess> S ready() {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::isReady);
        } catch (RuntimeException | Error e) {
            String output = output();
            close();
            throw new AssertionError(getClass().getSimpleName() + " did not become ready; its output:\n" + output, e);
        }
        @SuppressWarnings("unchecked")
        S self = (S) this;
        return self;
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
            throw new AssertionError(getClass().getSimpleName() + " exited with " + process.exitValue() + ":\n"
                    + output());
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
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
