package dev.pulse.deploy;

import dev.pulse.testing.RepoFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-compose -f docker-compose.yml config} on the repository's compose file, as CI does (no Docker
 * engine needed). Fails, never skips, when the binary is missing: .ci/install-servers.sh installs it.
 */
final class ComposeConfig {
    static final String BINARY = "docker-compose";
    /** What the tests give for the one required variable; never a real password. */
    static final String TEST_PASSWORD = "compose-test-only";

    private ComposeConfig() {}

    /** Exit code and output of one run. */
    record Result(int exitCode, String stdout, String stderr) {}

    /**
     * {@code docker-compose config [extra...]} with the process environment minus every variable the file reads,
     * plus {@code env}: the defaults in the file are what is checked.
     */
    static Result run(Map<String, String> env, String... extra) throws IOException, InterruptedException {
        Path root = RepoFiles.root();
        List<String> command = new ArrayList<>(List.of(binary().toString(), "-f",
                root.resolve("docker-compose.yml").toString(), "config"));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().keySet().removeIf(k -> k.equals("GRAFANA_ADMIN_PASSWORD") || k.startsWith("PULSE_")
                || k.startsWith("COMPOSE_"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile("compose-config", ".out");
        Path err = Files.createTempFile("compose-config", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The resolved file (anchors, defaults and the test password filled in), as compose would run it. */
    static String resolved() throws IOException, InterruptedException {
        Result result = run(Map.of("GRAFANA_ADMIN_PASSWORD", TEST_PASSWORD));
        if (result.exitCode() != 0) {
            throw new AssertionError("docker-compose config failed (" + result.exitCode() + "):\n" + result.stderr());
        }
        return result.stdout();
    }

    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, BINARY);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(BINARY + " is not on the PATH: install it with .ci/install-servers.sh "
                + "(or `sudo apt-get install docker-compose`); it validates docker-compose.yml without a Docker engine");
    }
}
