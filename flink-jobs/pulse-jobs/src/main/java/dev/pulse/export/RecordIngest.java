package dev.pulse.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.export.LatestValues.Outcome;
import dev.pulse.export.LatestValues.Reading;
import dev.pulse.export.LatestValues.SeriesKey;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one consumed record and applies it: metric records to {@link LatestValues}, dead letters to their
 * counter. A record that does not fit the catalog (unknown name, other labels, missing field, a final value on
 * the live topic...) is counted in {@code pulse_exporter_invalid_records_total{topic}} and skipped: one bad
 * record must never stop the numbers on the screen. Called from the consumer thread only.
 */
final class RecordIngest {
    private static final Logger LOG = LoggerFactory.getLogger(RecordIngest.class);

    private final ExporterSettings settings;
    private final LatestValues values;
    private final EngineMetrics metrics;
    private final Clock clock;
    private final Set<String> topicsWarnedAbout = new HashSet<>();
    private boolean warnedAboutCapacity;

    RecordIngest(ExporterSettings settings, LatestValues values, EngineMetrics metrics, Clock clock) {
        this.settings = settings;
        this.values = values;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param writtenAtMillis the record's Kafka timestamp (the job writes its wall-clock time): staleness is
     *     measured from it, so values read back at start are as old as they really are
     * @param backfill true for records that were already on the topic when the exporter started: they fill the
     *     gauges but say nothing about today's freshness, so they are kept out of the result-delay histogram
     */
    void accept(String topic, byte[] value, long writtenAtMillis, boolean backfill) {
        metrics.recordConsumed(topic);
        try {
            if (topic.equals(settings.deadLettersTopic())) {
                countDeadLetter(value);
            } else if (topic.equals(settings.metricsTopic())) {
                offer(parseMetric(value, true), writtenAtMillis, backfill);
            } else if (topic.equals(settings.liveMetricsTopic())) {
                offer(parseMetric(value, false), writtenAtMillis, backfill);
            } else {
                throw new IllegalArgumentException("the exporter does not read topic " + topic);
            }
        } catch (InvalidRecordException e) {
            invalid(topic, e);
        }
    }

    /**
     * A record of the final-values topic, read now and offered later with the rest of its window's set: the
     * parsing happens here, outside {@link LatestValues}' lock, so that offering a large set keeps a scrape
     * waiting as briefly as possible. Null for an invalid record (counted).
     */
    Runnable prepareFinal(byte[] value, long writtenAtMillis, boolean backfill) {
        String topic = settings.metricsTopic();
        metrics.recordConsumed(topic);
        try {
            ParsedValue parsed = parseMetric(value, true);
            return () -> offer(parsed, writtenAtMillis, backfill);
        } catch (InvalidRecordException e) {
            invalid(topic, e);
            return null;
        }
    }

    private void invalid(String topic, InvalidRecordException e) {
        metrics.invalidRecord(topic);
        // the counter is the signal; the log names the first problem per topic so someone can find the cause
        if (topicsWarnedAbout.add(topic)) {
            LOG.warn("Skipped an invalid record on {}: {} (further ones are only counted in {}_total)",
                    topic, e.getMessage(), EngineMetric.INVALID_RECORDS.prometheusName());
        } else {
            LOG.debug("Skipped an invalid record on {}: {}", topic, e.getMessage());
        }
    }

    /** A metric record checked against the catalog, ready to offer. */
    private record ParsedValue(MetricDefinition definition, SeriesKey key, Instant windowStart, Instant windowEnd,
                               double value, boolean isFinal) {}

    private static ParsedValue parseMetric(byte[] value, boolean fromFinalTopic) throws InvalidRecordException {
        MetricRecord record = parseMetricRecord(value);
        MetricDefinition definition;
        try {
            definition = MetricDefinition.of(record.name, Period.ofCode(record.period));
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("metric '" + record.name + "' per '" + record.period
                    + "' is not in the catalog");
        }
        if (record.isFinal != fromFinalTopic) {
            // finals must come through the transactional topic, or read_committed would be bypassed
            throw new InvalidRecordException(record.isFinal ? "a final value on the live topic"
                    : "a running update on the final-values topic");
        }
        List<String> labelValues = labelValues(definition, record.labels);
        Instant windowStart = instant(record.windowStart, "window_start");
        Instant windowEnd = instant(record.windowEnd, "window_end");
        if (!windowEnd.isAfter(windowStart)) {
            throw new InvalidRecordException("window_end is not after window_start");
        }
        if (!Double.isFinite(record.value)) {
            throw new InvalidRecordException("value is not a finite number");
        }
        return new ParsedValue(definition, new SeriesKey(definition, labelValues), windowStart, windowEnd,
                record.value, record.isFinal);
    }

    private void offer(ParsedValue parsed, long writtenAtMillis, boolean backfill) {
        Instant now = clock.instant();
        // a writer's clock ahead of this one must not keep a value on the screen longer
        Instant written = Instant.ofEpochMilli(Math.min(writtenAtMillis, now.toEpochMilli()));
        Reading reading = new Reading(parsed.windowStart(), parsed.windowEnd(), parsed.value(), written);
        Outcome outcome = parsed.isFinal() ? values.offerFinal(parsed.key(), reading)
                : values.offerRunning(parsed.key(), reading);
        if (outcome == Outcome.OVER_CAPACITY) {
            metrics.seriesDropped();
            if (!warnedAboutCapacity) {
                warnedAboutCapacity = true;
                LOG.warn("The exporter keeps at most {} series; values of further ones are dropped (counted in {}"
                        + "_total)", settings.maxStoredSeries(), EngineMetric.SERIES_DROPPED.prometheusName());
            }
            return;
        }
        if (!parsed.isFinal()) {
            return;
        }
        if (outcome != Outcome.IGNORED) {
            metrics.finalWindowEnd(parsed.definition().id(), parsed.windowEnd().getEpochSecond());
        }
        // corrections arrive late on purpose; counting them would make a healthy pipeline look slow
        if (outcome == Outcome.NEW_WINDOW && !backfill) {
            long delayMillis = Math.max(0, Duration.between(parsed.windowEnd(), now).toMillis());
            metrics.resultDelay(parsed.definition().id(), delayMillis / 1000.0);
        }
    }

    private static MetricRecord parseMetricRecord(byte[] value) throws InvalidRecordException {
        JsonNode node = readTree(value);
        // a missing "final" would silently read as false, a numeric label as a string: check the shape first
        require(node, "name", JsonNode::isTextual, "a string");
        require(node, "period", JsonNode::isTextual, "a string");
        require(node, "labels", JsonNode::isObject, "an object");
        require(node, "window_start", JsonNode::isTextual, "a string");
        require(node, "window_end", JsonNode::isTextual, "a string");
        require(node, "value", JsonNode::isNumber, "a number");
        require(node, "final", JsonNode::isBoolean, "true or false");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.get("labels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().isTextual()) {
                throw new InvalidRecordException("label '" + label.getKey() + "' is not a string");
            }
        }
        try {
            return Json.MAPPER.treeToValue(node, MetricRecord.class);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not a metric record: " + e.getOriginalMessage());
        }
    }

    /** The label values in the catalog's order; the record must carry exactly the catalog's label names. */
    private static List<String> labelValues(MetricDefinition definition, Map<String, String> labels)
            throws InvalidRecordException {
        if (!labels.keySet().equals(Set.copyOf(definition.labels()))) {
            throw new InvalidRecordException("metric '" + definition.recordName() + "' has labels "
                    + labels.keySet() + ", the catalog says " + definition.labels());
        }
        List<String> values = new ArrayList<>(definition.labels().size());
        for (String name : definition.labels()) {
            String value = labels.get(name);
            if (value == null || value.isBlank()) {
                throw new InvalidRecordException("label '" + name + "' is empty");
            }
            values.add(value);
        }
        return values;
    }

    private void countDeadLetter(byte[] value) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException("empty record");
        }
        DeadLetter deadLetter;
        try {
            deadLetter = Json.MAPPER.readValue(value, DeadLetter.class);
        } catch (IOException e) {
            // no parser message here: it may quote the raw input, which can hold personal data
            throw new InvalidRecordException("not a dead letter (" + e.getClass().getSimpleName() + ")");
        }
        if (deadLetter == null || deadLetter.reason == null) {
            throw new InvalidRecordException("dead letter without a reason");
        }
        metrics.deadLetter(stream(deadLetter.stream), deadLetter.reason);
    }

    private static Stream stream(String code) throws InvalidRecordException {
        for (Stream stream : Stream.values()) {
            if (stream.code().equals(code)) {
                return stream;
            }
        }
        throw new InvalidRecordException("unknown stream '" + code + "'");
    }

    private static JsonNode readTree(byte[] value) throws InvalidRecordException {
        if (value == null) {
            throw new InvalidRecordException("empty record");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new InvalidRecordException("not JSON: " + originalMessage(e));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRecordException("not a JSON object");
        }
        return node;
    }

    private static void require(JsonNode node, String field, Predicate<JsonNode> type, String expected)
            throws InvalidRecordException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRecordException("missing " + field);
        }
        if (!type.test(value)) {
            throw new InvalidRecordException(field + " is not " + expected);
        }
    }

    private static Instant instant(String text, String field) throws InvalidRecordException {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException(field + " '" + text + "' is not an RFC 3339 time with offset");
        }
    }

    private static String originalMessage(IOException e) {
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** A record the exporter cannot use; expected in normal operation, so no stack trace. */
    private static final class InvalidRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
