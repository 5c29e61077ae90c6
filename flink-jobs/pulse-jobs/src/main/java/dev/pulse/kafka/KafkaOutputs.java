package dev.pulse.kafka;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.pipeline.PulseOutputs;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/**
 * The Kafka sinks. Final values and dead letters go exactly-once (Kafka transactions committed at each
 * checkpoint); running updates go at-least-once so a dashboard sees them within seconds, which is safe because
 * each is an absolute value, not an increment. Final alerts (decided on event time) go exactly-once to the alerts
 * topic; live alerts (decided as events arrive) at once, at-least-once, to the live alerts topic (a copy after a
 * restart has the same alert id, for receivers to drop).
 */
public final class KafkaOutputs {
    private KafkaOutputs() {}

    public static void attach(PulseOutputs outputs, PulseSettings settings) {
        // at the parallelism of the window sets before it (one): each set in one transaction
        sink(outputs.finalValues, settings, settings.metricsTopic, DeliveryGuarantee.EXACTLY_ONCE,
                new JsonRecordSerializer<>(settings.metricsTopic, MetricRecord::seriesKey), "sink-final-values")
                .setParallelism(outputs.finalValues.getParallelism());
        sink(outputs.runningUpdates, settings, settings.liveMetricsTopic, DeliveryGuarantee.AT_LEAST_ONCE,
                new JsonRecordSerializer<>(settings.liveMetricsTopic, MetricRecord::seriesKey),
                "sink-running-updates");
        sink(outputs.deadLetters, settings, settings.deadLettersTopic, DeliveryGuarantee.EXACTLY_ONCE,
                new JsonRecordSerializer<DeadLetter>(settings.deadLettersTopic, null), "sink-dead-letters");
        if (outputs.alerts != null) {
            sink(outputs.alerts, settings, settings.alertsTopic, DeliveryGuarantee.EXACTLY_ONCE,
                    new JsonRecordSerializer<AlertRecord>(settings.alertsTopic, a -> a.key), "sink-alerts");
        }
        if (outputs.liveAlerts != null) {
            sink(outputs.liveAlerts, settings, settings.liveAlertsTopic, DeliveryGuarantee.AT_LEAST_ONCE,
                    new JsonRecordSerializer<AlertRecord>(settings.liveAlertsTopic, a -> a.key), "sink-live-alerts");
        }
    }

    private static <T> DataStreamSink<T> sink(DataStream<T> stream, PulseSettings settings, String topic,
                                 DeliveryGuarantee guarantee, JsonRecordSerializer<T> serializer, String name) {
        Properties producer = new Properties();
        producer.putAll(settings.kafkaProperties);
        KafkaSink<T> sink = KafkaSink.<T>builder()
                .setKafkaProducerConfig(producer)
                .setBootstrapServers(settings.bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee)
                // unique per job and topic: two jobs sharing a prefix would fence each other's transactions
                .setTransactionalIdPrefix(settings.groupId + "-" + name)
                .setProperty("transaction.timeout.ms", String.valueOf(settings.transactionTimeout.toMillis()))
                .build();
        return stream.sinkTo(sink).uid(name).name(name);
    }
}
