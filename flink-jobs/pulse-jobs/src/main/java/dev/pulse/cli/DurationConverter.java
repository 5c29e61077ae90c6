package dev.pulse.cli;

import java.time.Duration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line as in the -D options and Flink's configuration: 90s, 5 min, 1h, 500ms. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return TimeUtils.parseDuration(value);
    }
}
