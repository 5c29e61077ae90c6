package dev.pulse.bench;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Hands Flink the one {@link RecordFlow} of this JVM (metrics.reporter.NAME.factory.class). */
public final class RecordFlowReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return RecordFlow.INSTANCE;
    }
}
