package dev.pulse.cli;

import dev.pulse.config.PulseSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** The configuration options every command shares: a properties file and -D overrides. */
public class ConfigMixin {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with pulse.* (and Flink) options; -D wins over it.")
    Path configFile;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Set one option, e.g. -Dpulse.time-zone=Europe/Berlin (see docs/configuration.md).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The merged configuration: file first, then -D. */
    public Configuration configuration() {
        Map<String, String> values = new LinkedHashMap<>();
        if (configFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --config " + configFile + ": " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
        }
        values.putAll(overrides);
        return Configuration.fromMap(values);
    }

    /** Validated Pulse settings; throws with every problem listed. */
    public PulseSettings settings() {
        return PulseSettings.from(configuration());
    }

    /** Sets an option unless the user already did (commands use this for their own defaults). */
    public void defaultTo(String key, String value) {
        overrides.putIfAbsent(key, value);
    }
}
