package dev.pulse.cli;

import dev.pulse.config.PulseSettings;
import dev.pulse.pipeline.MetricsJob;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pulse run}: the metrics job against Kafka. Submitted with {@code flink run <jar> run -D...} it runs on
 * that cluster; started with java it runs on a local MiniCluster.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the metrics job: Kafka topics in, metric values and dead letters out (until cancelled).")
public class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigMixin config;

    @Override
    public Integer call() throws Exception {
        Configuration user = config.configuration();
        PulseSettings settings = PulseSettings.from(user);
        Configuration conf = MetricsJob.flinkConfiguration(settings);
        conf.addAll(user); // Flink options given by the user win over Pulse's defaults
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MetricsJob.attach(env, settings);
        env.execute(MetricsJob.NAME);
        return 0;
    }
}
