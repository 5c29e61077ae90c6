package dev.pulse.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real Alertmanager (Debian's {@code prometheus-alertmanager}), alone (no cluster), with the given config. */
final class AlertmanagerServer extends ServerProcess {

    private AlertmanagerServer(List<String> command, Path log, int port) throws IOException {
        super(command, log, port);
    }

    static Path binary() {
        return onPath("prometheus-alertmanager");
    }

    static Path amtool() {
        return onPath("amtool");
    }

    static AlertmanagerServer start(Path config, Path workDir) throws IOException {
        int port = freePort();
        return new AlertmanagerServer(List.of(binary().toString(),
                "--config.file=" + config,
                "--storage.path=" + Files.createDirectories(workDir.resolve("alertmanager-data")),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn"), workDir.resolve("alertmanager.log"), port).ready();
    }

    /** Where Prometheus sends alerts. */
    String address() {
        return "127.0.0.1:" + port;
    }
}
