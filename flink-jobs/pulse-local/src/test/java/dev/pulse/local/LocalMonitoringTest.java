package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code pulse demo --prometheus}: what it says when a server is missing, and the configuration it writes. */
@Timeout(30)
class LocalMonitoringTest {
    @TempDir
    Path dir;

    @Test
    void aMissingServerIsReportedWithHowToInstallIt() throws Exception {
        assertThatThrownBy(() -> LocalMonitoring.find(RepoFiles.root(), dir.toString()))
                .hasMessageContaining("Prometheus is not installed")
                .hasMessageContaining("sudo apt-get install prometheus prometheus-alertmanager");
        Path prometheus = Files.createFile(dir.resolve("prometheus"));
        assertThat(prometheus.toFile().setExecutable(true)).isTrue();
        assertThatThrownBy(() -> LocalMonitoring.find(RepoFiles.root(), dir.toString()))
                .hasMessageContaining("Alertmanager is not installed");
    }

    @Test
    void theConfigurationIsTheRepositorysWithTheDemosPortsAndAbsoluteRulePaths() throws Exception {
        for (String name : new String[] {"prometheus", "prometheus-alertmanager"}) {
            assertThat(Files.createFile(dir.resolve(name)).toFile().setExecutable(true)).isTrue();
        }
        Path config = LocalMonitoring.find(RepoFiles.root(), dir.toString())
                .prometheusConfig(dir.resolve("out"), 19400, 19249, 19093);
        String text = Files.readString(config);
        String rules = RepoFiles.resolve("prometheus/rules").toAbsolutePath() + "/";
        assertThat(text).contains("'127.0.0.1:19400'", "'127.0.0.1:19249'", "'127.0.0.1:19093'",
                "  - " + rules + "pulse-recording.yml", "  - " + rules + "pulse-alerts.yml")
                .doesNotContain(":9400'", ":9249'", ":9093'");
        // the rest is the repository's file, line for line
        String original = Files.readString(RepoFiles.resolve("prometheus/prometheus.yml"));
        assertThat(text.lines().count()).isEqualTo(original.lines().count() + 1);
    }
}
