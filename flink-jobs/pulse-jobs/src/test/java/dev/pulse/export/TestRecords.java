package dev.pulse.export;

import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
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

    static String metric(String name, Map<String, String> labels, Instant windowStart, Instant windowEnd,
                         double value, boolean isFinal) {
        return Json.write(new MetricRecord(name, labels, SHANGHAI.format(windowStart.toEpochMilli()),
                SHANGHAI.format(windowEnd.toEpochMilli()), value, isFinal));
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
