package dev.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists exactly the options in PulseOptions, with their defaults and descriptions. */
class ConfigurationDocTest {

    static String table() {
        StringBuilder s = new StringBuilder("| option | default | what it does |\n|---|---|---|\n");
        for (ConfigOption<?> option : PulseOptions.all()) {
            Object value = option.defaultValue();
            String shown = value instanceof java.time.Duration
                    ? org.apache.flink.util.TimeUtils.formatWithHighestUnit((java.time.Duration) value)
                    : String.valueOf(value);
            s.append("| `").append(option.key()).append("` | `").append(shown).append("` | ")
                    .append(new org.apache.flink.configuration.description.HtmlFormatter().format(option.description()).replace("|", "\\|")).append(" |\n");
        }
        return s.toString();
    }

    @Test
    void theDocumentedTableMatchesTheCode() throws Exception {
        Path doc = RepoFiles.resolve("docs/configuration.md");
        String expected = table();
        Files.writeString(Path.of("target", "configuration-table.md"), expected);
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is out of date: copy target/configuration-table.md into it")
                .contains(expected);
    }
}
