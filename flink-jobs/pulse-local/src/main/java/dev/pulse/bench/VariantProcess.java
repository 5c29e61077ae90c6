package dev.pulse.bench;

import dev.pulse.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link RunSpec} in a fresh JVM ({@link VariantMain}) with this JVM's class path, so no run inherits
 * another's JIT, heap or caches; its output goes to {@code run.log} in the run's folder.
 */
final class VariantProcess {
    private static final Duration TIMEOUT = Duration.ofMinutes(40);

    private final String heap;

    /** @param heap -Xmx of each run, e.g. 2g */
    VariantProcess(String heap) {
        this.heap = heap;
    }

    /** A started run. */
    final class Started {
        private final RunSpec spec;
        private final Path folder;
        private final Process process;
        private final Path recording;

        private Started(RunSpec spec, Path folder, Process process, Path recording) {
            this.spec = spec;
            this.folder = folder;
            this.process = process;
            this.recording = recording;
        }

        Path folder() {
            return folder;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for the run to end and reads what it measured. */
        RunResult awaitResult() throws IOException, InterruptedException {
            Path log = folder.resolve("run.log");
            Path resultFile = folder.resolve("result.json");
            try {
                if (!process.waitFor(TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                    throw new IllegalStateException(spec.variant + " run " + spec.runId + " did not end within "
                            + TIMEOUT.toMinutes() + " min (see " + log + ")");
                }
            } finally {
                process.destroyForcibly();
            }
            if (!Files.exists(resultFile)) {
                throw new IllegalStateException(spec.variant + " run " + spec.runId + " exited with code "
                        + process.exitValue() + " and no result (see " + log + ")");
            }
            RunResult result = Json.MAPPER.readValue(resultFile.toFile(), RunResult.class);
            if (recording != null && Files.exists(recording)) {
                result.profile = recording.toString();
            }
            return result;
        }

        void kill() {
            process.destroyForcibly();
        }
    }

    /** Runs and waits. */
    RunResult run(RunSpec spec, Path folder, boolean profile) throws IOException, InterruptedException {
        return start(spec, folder, profile).awaitResult();
    }

    /**
     * @param folder the run's own folder: spec, result, log, checkpoints, recording
     * @param profile record a CPU profile (JFR) into {@code profile.jfr}
     */
    Started start(RunSpec spec, Path folder, boolean profile) throws IOException {
        Files.createDirectories(folder);
        Path specFile = folder.resolve("spec.json");
        Files.writeString(specFile, Json.write(spec));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap,
                "-Dpulse.log.file=" + folder.resolve("flink.log"),
                "-Djava.io.tmpdir=" + folder));
        Path recording = profile ? folder.resolve("profile.jfr") : null;
        if (profile) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), VariantMain.class.getName(),
                specFile.toString(), folder.resolve("result.json").toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("run.log").toFile())
                .start();
        process.getOutputStream().close();
        return new Started(spec, folder, process, recording);
    }
}
