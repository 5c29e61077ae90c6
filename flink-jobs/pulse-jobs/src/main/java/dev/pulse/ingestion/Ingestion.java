package dev.pulse.ingestion;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The ingestion every job shares, after a source has parsed records and assigned event-time watermarks:
 * split off dead letters, drop duplicates within the horizon, dead-letter events too late to count.
 */
public final class Ingestion {
    private Ingestion() {}

    /** Valid, de-duplicated, in-time events of one stream, and everything that was not counted. */
    public static final class Ingested<T> {
        public final DataStream<T> events;
        public final DataStream<DeadLetter> deadLetters;

        Ingested(DataStream<T> events, DataStream<DeadLetter> deadLetters) {
            this.events = events;
            this.deadLetters = deadLetters;
        }
    }

    /** Raw JSON lines (files, tests) -> parsed records with timestamps and watermarks; null stays null. */
    public static <T extends InputEvent> DataStream<Parsed<T>> parseLines(
            DataStream<String> lines, Stream stream, PulseSettings settings) {
        if (lines == null) {
            return null;
        }
        EventParser<T> parser = EventParser.forStream(stream, InputRules.from(settings));
        TypeInformation<Parsed<T>> type = ParsedTypes.of(stream);
        return lines.map(parser::parse, type)
                .uid("parse-" + stream.code()).name("parse-" + stream.code())
                .assignTimestampsAndWatermarks(EventWatermarks.forParsed(settings))
                .uid("watermarks-" + stream.code()).name("watermarks-" + stream.code());
    }

    public static <T extends InputEvent> Ingested<T> ingest(
            DataStream<Parsed<T>> parsed, Stream stream, PulseSettings settings) {
        String name = stream.code();
        @SuppressWarnings("unchecked")
        TypeInformation<T> eventType = TypeInformation.of((Class<T>) stream.eventType());
        SingleOutputStreamOperator<T> valid = parsed
                .process(new SplitValidEvents<T>(name), eventType)
                .uid("validate-" + name).name("validate-" + name);
        SingleOutputStreamOperator<T> inTime = valid
                .keyBy(InputEvent::eventId)
                .process(new DeduplicateEvents<T>(settings.dedupHorizon), eventType)
                .uid("dedup-" + name).name("dedup-" + name)
                .process(new LateEventFilter<T>(stream, settings.allowedLateness,
                        new BusinessTime(settings.timeZone)), eventType)
                .uid("late-filter-" + name).name("late-filter-" + name);
        DataStream<DeadLetter> deadLetters = valid.getSideOutput(DeadLetters.TAG)
                .union(inTime.getSideOutput(DeadLetters.TAG));
        return new Ingested<>(inTime, deadLetters);
    }
}
