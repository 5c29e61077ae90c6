package dev.pulse.pipeline;

import dev.pulse.model.AlertRecord;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PeriodAggregation;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * One family of metrics (traffic, orders, ...): a pure workflow from the admitted input streams it needs to
 * metric records (and alert records). The workflow ingests each stream once for all families and leaves out a family whose
 * streams have no input.
 */
public interface MetricFamily {

    /** Its name in {@code pulse.families}. */
    String name();

    /** The streams it reads. */
    Set<Stream> inputs();

    /** Streams it also reads when they have input, and does without otherwise. */
    default Set<Stream> optionalInputs() {
        return Set.of();
    }

    /** The shortest period it computes on each stream: ingestion decides lateness at that period. */
    Period smallestPeriod();

    /** Builds the family's operators. */
    Output build(Admitted admitted, TimePolicy time);

    /**
     * What a family produces: metric records, dead letters of too-late partials, and alert records, final (decided
     * on event time: what a recomputation gives) and live (as soon as an event completes them).
     */
    record Output(List<DataStream<MetricRecord>> values, List<DataStream<DeadLetter>> deadLetters,
                  List<DataStream<AlertRecord>> alerts, List<DataStream<AlertRecord>> liveAlerts) {
        public Output(List<DataStream<MetricRecord>> values, List<DataStream<DeadLetter>> deadLetters) {
            this(values, deadLetters, List.of(), List.of());
        }

        /** The values and too-late partials of the family's window aggregations. */
        public static Output of(List<PeriodAggregation.Result> results) {
            return new Output(results.stream().map(PeriodAggregation.Result::values).toList(),
                    results.stream().map(PeriodAggregation.Result::tooLate).toList());
        }

        /** The same, with these final and live alert records. */
        public Output withAlerts(DataStream<AlertRecord> finalAlerts, DataStream<AlertRecord> live) {
            return new Output(values, deadLetters, List.of(finalAlerts), List.of(live));
        }
    }

    /**
     * The input streams, validated, admitted once (in time, de-duplicated) and partitioned by visitor; null where
     * there is no input.
     */
    record Admitted(DataStream<dev.pulse.model.ClickEvent> clicks, DataStream<dev.pulse.model.OrderEvent> orders,
                    DataStream<dev.pulse.model.AdEvent> ads) {
        public DataStream<?> of(Stream stream) {
            return switch (stream) {
                case CLICK -> clicks;
                case ORDER -> orders;
                case AD -> ads;
            };
        }
    }
}
