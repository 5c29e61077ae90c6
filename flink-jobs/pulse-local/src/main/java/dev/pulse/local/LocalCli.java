package dev.pulse.local;

import dev.pulse.bench.BenchCommand;
import dev.pulse.cli.PulseCli;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/** Main class of the local runtime (what {@code ./pulse} runs): the job jar's commands plus {@code demo}. */
public final class LocalCli {
    private LocalCli() {}

    public static CommandLine commandLine() {
        return PulseCli.commandLine().addSubcommand(new DemoCommand()).addSubcommand(new BenchCommand());
    }

    public static void main(String[] args) {
        // what logs through java.util.logging (the exporter's HTTP server) goes to the log file like the rest
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }
}
