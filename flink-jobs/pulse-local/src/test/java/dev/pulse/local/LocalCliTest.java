package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(30)
class LocalCliTest {

    @TempDir
    Path folder;

    @Test
    void addsTheDemoCommandWithItsDefaults() {
        CommandLine cli = LocalCli.commandLine();
        assertThat(cli.getSubcommands()).containsKey("demo");

        DemoCommand command = cli.parseArgs("demo").subcommand().commandSpec().commandLine().getCommand();
        assertThat(command.seed).isEqualTo(1);
        assertThat(command.kafkaPort).isEqualTo(9092);
        assertThat(command.uiPort).isEqualTo(8081);
        assertThat(command.exporterPort).isEqualTo(9400);
        assertThat(command.flinkMetricsPort).isEqualTo(9249);
        assertThat(command.dataDir).isEqualTo(Path.of("pulse-data"));
        assertThat(command.duration).isNull();
        assertThat(command.refresh).isEqualTo(Duration.ofSeconds(3));
        assertThat(command.noView).isFalse();
    }

    @Test
    void readsDurationsAsFlinkWritesThem() {
        DemoCommand command = LocalCli.commandLine()
                .parseArgs("demo", "--duration", "90s", "--refresh", "500ms", "--seed", "7", "--no-view")
                .subcommand().commandSpec().commandLine().getCommand();
        assertThat(command.duration).isEqualTo(Duration.ofSeconds(90));
        assertThat(command.refresh).isEqualTo(Duration.ofMillis(500));
        assertThat(command.seed).isEqualTo(7);
        assertThat(command.noView).isTrue();
    }

    @Test
    void refusesAnotherBrokerBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        Path data = folder.resolve("data");

        int exit = cli.execute("demo", "--data-dir", data.toString(), "-Dpulse.kafka.bootstrap-servers=elsewhere:9092");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse demo: the demo runs its own Kafka broker: set its port with"
                + " --kafka-port, not pulse.kafka.bootstrap-servers" + System.lineSeparator());
        assertThat(data).doesNotExist();
    }

    @Test
    void refusesAPortOutOfRange() {
        StringWriter err = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("demo", "--data-dir", folder.resolve("data").toString(), "--ui-port", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pulse demo: --ui-port must be between 1 and 65535, was 0"
                + System.lineSeparator());
    }
}
