package dev.pulse.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.cli.PulseCli;
import dev.pulse.config.PulseSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code pulse export}: registered in the command tree, options parsed into the exporter's settings. */
@Timeout(30)
class ExportCommandTest {

    @Test
    void defaultsServeLoopbackPort9400AndTheDefaultTopics() {
        ExportCommand command = parse("export");
        ExporterSettings settings = ExporterSettings.from(command.config.settings())
                .withHost(command.host).withPort(command.port).withStaleAfter(command.staleAfter)
                .withGroupId(command.groupId);

        assertThat(settings).isEqualTo(new ExporterSettings("127.0.0.1:9092", "pulse.metrics", "pulse.metrics.live",
                "pulse.dead-letters", "pulse-exporter", "127.0.0.1", 9400, Duration.ofMinutes(5),
                ExporterSettings.DEFAULT_MAX_SERIES, Map.of()));
        assertThat(ExporterSettings.from(PulseSettings.defaults())).isEqualTo(settings);
    }

    @Test
    void optionsAndSharedConfigurationAreApplied() {
        ExportCommand command = parse("export", "--host", "0.0.0.0", "--port", "0", "--stale-after", "90s",
                "--group-id", "exporter-b", "-Dpulse.kafka.bootstrap-servers=kafka:9092",
                "-Dpulse.topics.metrics=shop.metrics");
        ExporterSettings settings = ExporterSettings.from(command.config.settings())
                .withHost(command.host).withPort(command.port).withStaleAfter(command.staleAfter)
                .withGroupId(command.groupId);

        assertThat(settings).isEqualTo(new ExporterSettings("kafka:9092", "shop.metrics", "pulse.metrics.live",
                "pulse.dead-letters", "exporter-b", "0.0.0.0", 0, Duration.ofSeconds(90),
                ExporterSettings.DEFAULT_MAX_SERIES, Map.of()));
    }

    @Test
    void settingsRejectWhatCannotWork() {
        ExporterSettings defaults = ExporterSettings.from(PulseSettings.defaults());
        assertThatThrownBy(() -> defaults.withPort(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> defaults.withStaleAfter(Duration.ZERO)).hasMessageContaining("stale-after");
        assertThatThrownBy(() -> new ExporterSettings("k:9092", "same", "same", "dead", "g", "127.0.0.1", 0,
                Duration.ofMinutes(5), 10, Map.of())).hasMessageContaining("must differ");
    }

    @Test
    void theGmvTargetIsOptionalAndMustBePositiveAndThePaceUsesTheSharedTimeZoneAndCurrency() {
        assertThat(parse("export").gmvTarget).isNull();
        ExportCommand command = parse("export", "--gmv-target", "1250000.50", "-Dpulse.time-zone=Europe/Berlin",
                "-Dpulse.currency=EUR");
        ExporterSettings settings = ExporterSettings.from(command.config.settings()).withGmvTarget(command.gmvTarget);

        assertThat(settings.gmvTarget()).isEqualTo(OptionalDouble.of(1_250_000.5));
        assertThat(settings.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(settings.currency()).isEqualTo("EUR");
        assertThat(settings.withGmvTarget(null).gmvTarget()).isEmpty();

        ExporterSettings defaults = ExporterSettings.from(PulseSettings.defaults());
        for (double wrong : new double[] {0, -5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> defaults.withGmvTarget(wrong))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("gmv-target must be a positive amount (the business day's GMV target"
                            + " in CNY), was ");
        }
    }

    private static ExportCommand parse(String... args) {
        CommandLine cli = PulseCli.commandLine();
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (ExportCommand) result.subcommand().commandSpec().userObject();
    }
}
