package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** Records as the jobs write them: the product's own types and serializer, windows in the business time zone. */
final class TestRecords {
    private static final BusinessTime SHANGHAI = new BusinessTime(ZoneId.of("Asia/Shanghai"));

    private TestRecords() {}

    static String metric(String name, Map<String, String> labels, Instant windowStart, double value,
                         boolean isFinal) {
        return metric(name, labels, windowStart, windowStart.plus(Duration.ofMinutes(1)), value, isFinal);
    }

    /** A value of a minute window, or (longer than a minute) of a business day. */
    static String metric(String name, Map<String, String> labels, Instant windowStart, Instant windowEnd,
                         double value, boolean isFinal) {
        Period period = Duration.between(windowStart, windowEnd).equals(Duration.ofMinutes(1)) ? Period.MINUTE
                : Period.DAY;
        return Json.write(new MetricRecord(name, period, labels, SHANGHAI.format(windowStart.toEpochMilli()),
                SHANGHAI.format(windowEnd.toEpochMilli()), value, isFinal));
    }

    /** A value of a catalog metric for its period holding {@code at} (a minute, or a business day in Shanghai). */
    static String metric(MetricDefinition definition, Map<String, String> labels, Instant at, double value,
                         boolean isFinal) {
        Period period = definition.period();
        return Json.write(new MetricRecord(definition.recordName(), period, labels,
                SHANGHAI.format(period.start(at.toEpochMilli(), SHANGHAI.zone())),
                SHANGHAI.format(period.end(at.toEpochMilli(), SHANGHAI.zone())), value, isFinal));
    }

    static String deadLetter(Stream stream, DeadLetterReason reason) {
        return Json.write(new DeadLetter(stream, reason, "test: " + reason.code(), "{\"not\":\"counted\"}", null));
    }

    static Map<String, String> channelPlatform(String channel, String platform) {
        return Map.of("channel", channel, "platform", platform);
    }

    static Map<String, String> channel(String channel) {
        return Map.of("channel", channel);
    }

    static Map<String, String> channelCurrency(String channel, String currency) {
        return Map.of("channel", channel, "currency", currency);
    }
}
