package dev.pulse.ingestion;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * The ingestion every job shares, once per stream, after a source has parsed records and assigned event-time
 * watermarks: split off dead letters; then, for a stream some metric family reads, key by visitor and admit
 * each event once and in time ({@link AdmitEvents}; ads: {@link AdmitAds}, each impression once too).
 */
public final class Ingestion {
    private Ingestion() {}

    /** What ingestion made of one stream: admitted events (null when no family reads it) and dead letters. */
    public record Ingested<T>(DataStream<T> events, DataStream<DeadLetter> deadLetters) {}

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

    /**
     * @param smallestPeriod the shortest period any family computes on this stream (lateness is decided for it),
     *     or null when no family reads the stream: it is then only validated
     */
    public static <T extends InputEvent> Ingested<T> ingest(
            DataStream<Parsed<T>> parsed, Stream stream, Period smallestPeriod, PulseSettings settings) {
        String name = stream.code();
        @SuppressWarnings("unchecked")
        TypeInformation<T> eventType = TypeInformation.of((Class<T>) stream.eventType());
        SingleOutputStreamOperator<T> valid = parsed
                .process(new SplitValidEvents<T>(name), eventType)
                .uid("validate-" + name).name("validate-" + name);
        DataStream<DeadLetter> invalid = valid.getSideOutput(DeadLetters.TAG);
        if (smallestPeriod == null) {
            return new Ingested<>(null, invalid);
        }
        SingleOutputStreamOperator<T> admitted = valid
                .keyBy(VisitorKeys.<T>selector(stream), TypeInformation.of(String.class))
                .process(admission(stream, smallestPeriod, settings), eventType)
                .uid("admit-" + name).name("admit-" + name);
        return new Ingested<>(admitted, invalid.union(admitted.getSideOutput(DeadLetters.TAG)));
    }

    /** Every stream's admission; the ad stream's also makes an impression count once ({@link AdmitAds}). */
    @SuppressWarnings("unchecked")
    private static <T extends InputEvent> KeyedProcessFunction<String, T, T> admission(
            Stream stream, Period period, PulseSettings settings) {
        BusinessTime businessTime = new BusinessTime(settings.timeZone);
        if (stream == Stream.AD) {
            KeyedProcessFunction<String, ?, ?> ads = new AdmitAds(period, settings.allowedLateness,
                    settings.dedupHorizon, settings.adsImpressionHorizon, businessTime);
            return (KeyedProcessFunction<String, T, T>) ads;
        }
        return new AdmitEvents<>(stream, period, settings.allowedLateness, settings.dedupHorizon, businessTime);
    }
}
