package dev.pulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** docker-compose.yml is a valid compose file, and one that refuses to start without the Grafana password. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ComposeStackTest {

    @Test
    void composeAcceptsTheFileWhenTheRequiredVariablesAreSet() throws Exception {
        ComposeConfig.Result result = ComposeConfig.run(
                Map.of("GRAFANA_ADMIN_PASSWORD", ComposeConfig.TEST_PASSWORD), "-q");

        assertThat(result.exitCode()).as("docker-compose config -q:%n%s", result.stderr()).isZero();
        assertThat(result.stderr()).as("warnings of docker-compose config -q").isBlank();
    }

    @Test
    void composeRefusesTheFileWithoutTheGrafanaAdminPasswordAndSaysWhy() throws Exception {
        ComposeConfig.Result result = ComposeConfig.run(Map.of(), "-q");

        assertThat(result.exitCode()).as("exit code without GRAFANA_ADMIN_PASSWORD").isNotZero();
        assertThat(result.stderr()).contains("GRAFANA_ADMIN_PASSWORD", "set GRAFANA_ADMIN_PASSWORD");
    }

    @Test
    void anEmptyGrafanaAdminPasswordIsRefusedToo() throws Exception {
        // ${VAR:?...} also rejects an empty value: `GRAFANA_ADMIN_PASSWORD= docker compose up` does not start
        ComposeConfig.Result result = ComposeConfig.run(Map.of("GRAFANA_ADMIN_PASSWORD", ""), "-q");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("set GRAFANA_ADMIN_PASSWORD");
    }
}
