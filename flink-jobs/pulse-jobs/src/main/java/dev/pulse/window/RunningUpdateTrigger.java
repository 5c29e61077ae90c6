package dev.pulse.window;

import java.time.Duration;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires a window's final value when the watermark passes its end (and again for each late event accepted within
 * the allowed lateness), and, while it is open, a running update at most once per wall-clock interval after new
 * events arrived. Updates are aligned to the interval so one timer serves all events of a window in it.
 */
public class RunningUpdateTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long intervalMs;

    private RunningUpdateTrigger(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** @param interval zero for final values only */
    public static RunningUpdateTrigger every(Duration interval) {
        return new RunningUpdateTrigger(interval.toMillis());
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            return TriggerResult.FIRE; // a late event within the allowed lateness: send the corrected value
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        if (intervalMs > 0) {
            long now = ctx.getCurrentProcessingTime();
            ctx.registerProcessingTimeTimer(now - Math.floorMod(now, intervalMs) + intervalMs);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        // once final, a window changes only through late events, which fire on their own
        return window.maxTimestamp() <= ctx.getCurrentWatermark() ? TriggerResult.CONTINUE : TriggerResult.FIRE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
    }

    @Override
    public String toString() {
        return "RunningUpdateTrigger(" + intervalMs + " ms)";
    }
}
