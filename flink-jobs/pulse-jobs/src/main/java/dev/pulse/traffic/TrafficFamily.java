package dev.pulse.traffic;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Traffic: PV (page_view and product_view events) per event-time minute, by channel and platform. */
public final class TrafficFamily implements MetricFamily {
    private static final String SEPARATOR = "|";

    @Override
    public String name() {
        return "traffic";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.CLICK);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        DataStream<PartialSums> partials = admitted.clicks()
                .transform("page-views-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<ClickEvent>((e, to) -> {
                            if (e.countsAsPageView()) {
                                to.add(e.channel + SEPARATOR + e.platform, 1);
                            }
                        }, 1, Period.MINUTE, time.businessTime()))
                .uid("page-views-partial");
        PeriodAggregation.Result pageViews = PeriodAggregation.aggregate(PeriodAggregation.byKey(partials),
                Period.MINUTE, 1, (key, sums, out) -> {
                    int cut = key.indexOf(SEPARATOR);
                    out.value(MetricDefinition.PAGE_VIEWS.recordName(),
                            Map.of("channel", key.substring(0, cut), "platform", key.substring(cut + 1)), sums[0]);
                }, Stream.CLICK, "page-views-per-minute", time);
        return new Output(List.of(pageViews.values()), List.of(pageViews.tooLate()));
    }
}
