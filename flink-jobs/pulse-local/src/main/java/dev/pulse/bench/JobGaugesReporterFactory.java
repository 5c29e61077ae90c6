package dev.pulse.bench;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Hands Flink the one {@link JobGauges} of this JVM ({@value JobGauges#REPORTER}). */
public final class JobGaugesReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return JobGauges.INSTANCE;
    }
}
