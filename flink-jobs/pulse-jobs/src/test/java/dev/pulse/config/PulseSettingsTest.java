package dev.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class PulseSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        PulseSettings s = PulseSettings.defaults();
        assertThat(s.timeZone).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(s.currency).isEqualTo("CNY");
        assertThat(s.clicksTopic).isEqualTo("pulse.clicks");
        assertThat(s.metricsTopic).isEqualTo("pulse.metrics");
        assertThat(s.allowedLateness).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.outOfOrderness).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.bootstrapServers).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void passesKafkaClientSettingsOnButNotTheOnesPulseDecides() {
        PulseSettings s = PulseSettings.from(Map.of("pulse.kafka.properties.security.protocol", "SASL_SSL",
                "pulse.kafka.properties.sasl.mechanism", "SCRAM-SHA-512"));
        assertThat(s.kafkaProperties).containsExactly(Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("security.protocol", "SASL_SSL"));
        assertThat(dev.pulse.export.ExporterSettings.from(s).kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL");
        assertThatThrownBy(() -> PulseSettings.from(Map.of("pulse.kafka.properties.isolation.level", "read_uncommitted")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("pulse.kafka.properties.isolation.level: Pulse sets this Kafka client setting");
    }

    @Test
    void readsTypedValues() {
        PulseSettings s = PulseSettings.from(Map.of("pulse.time-zone", "Europe/Berlin",
                "pulse.lateness.allowed", "90 s", "pulse.topics.clicks", "shop.clicks"));
        assertThat(s.timeZone).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(s.allowedLateness).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.clicksTopic).isEqualTo("shop.clicks");
    }

    @Test
    void reportsEveryProblemAtOnceNamingTheKey() {
        assertThatThrownBy(() -> PulseSettings.from(Map.of(
                "pulse.time-zone", "Asia/Shangai",
                "pulse.currency", "XYZ1",
                "pulse.kafka.transaction-timeout", "20 min",
                "pulse.topics.metrics", " ",
                "pulse.lateness.alowed", "1 min")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("pulse.time-zone: 'Asia/Shangai' is not a known time zone")
                .hasMessageContaining("pulse.currency: 'XYZ1' is not an ISO 4217 currency code")
                .hasMessageContaining("pulse.kafka.transaction-timeout: PT20M is above the broker's default maximum")
                .hasMessageContaining("pulse.topics.metrics: must not be empty")
                .hasMessageContaining("pulse.lateness.alowed: unknown Pulse option");
    }

    @Test
    void rejectsAValueOfTheWrongTypeWithTheKey() {
        assertThatThrownBy(() -> PulseSettings.from(Map.of("pulse.lateness.allowed", "soon")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("pulse.lateness.allowed");
    }

    @Test
    void transactionsMustOutliveACheckpoint() {
        assertThatThrownBy(() -> PulseSettings.from(Map.of(
                "pulse.checkpoint.interval", "10 min", "pulse.kafka.transaction-timeout", "5 min")))
                .hasMessageContaining("must be longer than pulse.checkpoint.interval");
    }

    @Test
    void sketchModeNamesOnlyMetricsASketchCanCountAndASizeInRange() {
        assertThat(PulseSettings.defaults().usersSketch).isEmpty();
        assertThat(PulseSettings.from(Map.of("pulse.users.sketch", "mau;uv")).usersSketch)
                .containsExactlyInAnyOrder("mau", "uv");
        assertThatThrownBy(() -> PulseSettings.from(Map.of("pulse.users.sketch", "mau;dau",
                "pulse.users.sketch.lg-k", "30")))
                .hasMessageContaining("pulse.users.sketch: 'dau' cannot be counted by a sketch; these can: mau, uv")
                .hasMessageContaining("pulse.users.sketch.lg-k: must be between 4 and 21, was 30");
    }
}
