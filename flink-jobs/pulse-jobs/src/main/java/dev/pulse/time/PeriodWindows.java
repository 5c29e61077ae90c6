package dev.pulse.time;

import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Tumbling event-time windows of a {@link Period} in the business time zone: a day window runs from local
 * midnight to the next local midnight, whatever the offset does in between.
 */
public final class PeriodWindows extends WindowAssigner<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final Period period;
    private final BusinessTime businessTime;

    public PeriodWindows(Period period, BusinessTime businessTime) {
        this.period = period;
        this.businessTime = businessTime;
    }

    @Override
    public Collection<TimeWindow> assignWindows(Object element, long timestamp, WindowAssignerContext context) {
        return List.of(new TimeWindow(period.start(timestamp, businessTime.zone()),
                period.end(timestamp, businessTime.zone())));
    }

    @Override
    public Trigger<Object, TimeWindow> getDefaultTrigger() {
        return EventTimeTrigger.create();
    }

    @Override
    public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
        return new TimeWindow.Serializer();
    }

    @Override
    public boolean isEventTime() {
        return true;
    }

    @Override
    public String toString() {
        return "PeriodWindows(" + period.code() + ", " + businessTime.zone() + ")";
    }
}
