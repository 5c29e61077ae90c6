package dev.pulse.traffic;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.ClickDimensions;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import dev.pulse.window.WindowValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * Traffic: PV (page_view and product_view events) per event-time minute and business day, by channel and platform,
 * and the traffic mix: each channel's share of PV in the minute and the day.
 */
public final class TrafficFamily implements MetricFamily {
    private static final String SEPARATOR = "|";
    /** The key whose sums are PV per channel, in the order of {@link ClickDimensions#CHANNELS}. */
    private static final String MIX = "mix";

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
        KeyedStream<PartialSums, String> partials = PeriodAggregation.byKey(admitted.clicks()
                .transform("page-views-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<ClickEvent>((e, to) -> {
                            if (e.countsAsPageView()) {
                                int channel = ClickDimensions.CHANNELS.indexOf(e.channel);
                                int platform = ClickDimensions.PLATFORMS.indexOf(e.platform);
                                to.addAt(ClickDimensions.pairKey(ClickDimensions.pair(channel, platform)), 0, 1);
                                to.addAt(MIX, channel, 1);
                            }
                        }, Period.MINUTE, time.businessTime()))
                .uid("page-views-partial"));
        PeriodAggregation.Result perMinute = PeriodAggregation.aggregate(partials, Period.MINUTE,
                values(MetricDefinition.PAGE_VIEWS, MetricDefinition.PV_SHARE), Stream.CLICK,
                "page-views-per-minute", time);
        PeriodAggregation.Result perDay = PeriodAggregation.aggregate(partials, Period.DAY,
                values(MetricDefinition.PAGE_VIEWS_DAY, MetricDefinition.PV_SHARE_DAY), Stream.CLICK,
                "page-views-per-day", time);
        return Output.of(List.of(perMinute, perDay));
    }

    private static WindowValues values(MetricDefinition pageViews, MetricDefinition share) {
        return (key, sums, out) -> {
            if (key.equals(MIX)) {
                long total = 0;
                for (long s : sums) {
                    total += s;
                }
                for (int c = 0; c < sums.length; c++) {
                    if (sums[c] > 0) {
                        out.value(share.recordName(), Map.of("channel", ClickDimensions.CHANNELS.get(c)),
                                (double) sums[c] / total);
                    }
                }
                return;
            }
            int cut = key.indexOf(SEPARATOR);
            out.value(pageViews.recordName(),
                    Map.of("channel", key.substring(0, cut), "platform", key.substring(cut + 1)), sums[0]);
        };
    }
}
