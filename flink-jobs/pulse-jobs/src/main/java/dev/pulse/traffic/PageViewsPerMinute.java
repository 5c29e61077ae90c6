package dev.pulse.traffic;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.config.PulseSettings;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.Stream;
import dev.pulse.window.CountEvents;
import dev.pulse.window.MinuteWindows;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/** PV: page_view and product_view events per event-time minute, by channel and platform. */
public final class PageViewsPerMinute {
    private static final String SEPARATOR = "|";

    private PageViewsPerMinute() {}

    public static MinuteWindows.Result compute(DataStream<ClickEvent> clicks, PulseSettings settings) {
        return MinuteWindows.aggregate(
                clicks.filter(ClickEvent::countsAsPageView).name("page-views-only")
                        .keyBy(PageViewsPerMinute::key),
                Stream.CLICK, "page-views-per-minute", new CountEvents<>(),
                (key, count, out) -> {
                    int cut = key.indexOf(SEPARATOR);
                    out.value(MetricDefinition.PAGE_VIEWS.recordName(),
                            Map.of("channel", key.substring(0, cut), "platform", key.substring(cut + 1)), count);
                },
                settings);
    }

    static String key(ClickEvent e) {
        return e.channel + SEPARATOR + e.platform;
    }
}
