package dev.pulse.local;

import dev.pulse.bench.BenchCommand;
import dev.pulse.cli.PulseCli;
import picocli.CommandLine;

/** Main class of the local runtime (what {@code ./pulse} runs): the job jar's commands plus {@code demo}. */
public final class LocalCli {
    private LocalCli() {}

    public static CommandLine commandLine() {
        return PulseCli.commandLine().addSubcommand(new DemoCommand()).addSubcommand(new BenchCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
