package dev.pulse.local;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter, served on 127.0.0.1 only. Flink 2.2's own {@code PrometheusReporterFactory}
 * binds its HTTP server to every interface and has no option to change that; on a laptop the job's metrics
 * would then be open to the network the laptop is on. This factory makes the same reporter (same metric names
 * and labels, same {@code port} option, a single port or a range such as {@code 9249-9259}) and binds it to
 * the loopback address.
 *
 * <p>Configure it with {@code metrics.reporter.prom.factory.class} set to this class and
 * {@code metrics.reporter.prom.port}. It reads the reporter's registry by reflection (the field is package
 * private): a Flink upgrade that renames it fails {@code LoopbackPrometheusReporterFactoryTest}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
    static final String PORT = "port";
    static final String DEFAULT_PORT = "9249";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        String ports = properties instanceof MetricConfig config
                ? config.getString(PORT, DEFAULT_PORT) : properties.getProperty(PORT, DEFAULT_PORT);
        return new LoopbackPrometheusReporter(new PortRange(ports));
    }

    /** The reporter: Flink's metric-to-Prometheus mapping, with an HTTP server on 127.0.0.1. */
    static final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
        private final HTTPServer server;

        LoopbackPrometheusReporter(PortRange ports) {
            server = bind(ports, registryOf(this));
            log.info("Prometheus reporter serving Flink's metrics on {}:{}", LocalPorts.HOST, server.getPort());
        }

        int port() {
            return server.getPort();
        }

        @Override
        public void close() {
            server.stop();
            super.close();
        }

        private static HTTPServer bind(PortRange ports, CollectorRegistry registry) {
            Iterator<Integer> candidates = ports.getPortsIterator();
            while (candidates.hasNext()) {
                int port = candidates.next();
                try {
                    // daemon threads: the reporter never keeps the JVM alive
                    return new HTTPServer(new InetSocketAddress(InetAddress.getByName(LocalPorts.HOST), port),
                            registry, true);
                } catch (IOException taken) {
                    // try the next port of the range, as Flink's reporter does
                }
            }
            throw new IllegalStateException("the Prometheus reporter found no free port on " + LocalPorts.HOST
                    + " in " + ports);
        }

        private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
            try {
                Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
                field.setAccessible(true);
                return (CollectorRegistry) field.get(reporter);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("this Flink version's AbstractPrometheusReporter keeps its registry"
                        + " elsewhere; update LoopbackPrometheusReporterFactory", e);
            }
        }
    }
}
