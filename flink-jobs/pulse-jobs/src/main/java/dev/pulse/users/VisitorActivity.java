package dev.pulse.users;

import dev.pulse.model.ClickEvent;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The one keyed operator of the users family, per visitor (the user, or the device of an anonymous visitor), fed
 * the admitted clicks without a further shuffle. It sends a {@link Tally} the first time a visitor counts in a
 * minute for a channel and platform (UV) and in total, and in a business day for a platform (DAU) and in total,
 * and when it registers in a day (new users); never once per event. Minute tallies go to the main output, day
 * tallies to {@link #DAY_TALLIES}; each is stamped with the event's time, so the windows downstream place it.
 *
 * <p>A minute or day is remembered while events may still be admitted for it (its end + the allowed lateness), so
 * a late event is never counted twice; one event-time timer per visitor clears the state when the newest day it
 * holds can no longer change. The state is a few longs ({@link VisitorBits}).
 */
public class VisitorActivity extends KeyedProcessFunction<String, ClickEvent, Tally> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Tally> DAY_TALLIES = new OutputTag<>("day-tallies", TypeInformation.of(Tally.class));
    static final String UV = "uv";
    static final String UV_TOTAL = "uv_total";
    static final String DAU = "dau";
    static final String DAU_TOTAL = "dau_total";
    static final String NEW_USERS = "new_users";
    static final String SEPARATOR = "|";

    private final long allowedLatenessMs;
    private final BusinessTime businessTime;
    private transient ValueState<long[]> visitor;
    private transient long cachedDayStart;
    private transient long cachedDayEnd;

    public VisitorActivity(Duration allowedLateness, BusinessTime businessTime) {
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.businessTime = businessTime;
    }

    @Override
    public void open(OpenContext openContext) {
        visitor = getRuntimeContext().getState(new ValueStateDescriptor<>("visitor-days",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        cachedDayEnd = Long.MIN_VALUE;
    }

    @Override
    public void processElement(ClickEvent click, Context ctx, Collector<Tally> out) throws Exception {
        long time = click.eventTime().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        long[] stored = visitor.value();
        VisitorBits bits = VisitorBits.of(stored);

        int minute = VisitorBits.minuteOf(time);
        int pair = ClickDimensions.pair(click.channel, click.platform);
        int counted = bits.minute(minute);
        if (!VisitorBits.has(counted, pair)) {
            out.collect(new Tally(UV + SEPARATOR + click.channel + SEPARATOR + click.platform, 1));
        }
        if (!VisitorBits.counted(counted)) {
            out.collect(new Tally(UV_TOTAL, 1));
        }
        bits.setMinute(minute, VisitorBits.with(counted, pair));

        long dayStart = dayStart(time);
        int day = VisitorBits.minuteOf(dayStart);
        int platform = ClickDimensions.PLATFORMS.indexOf(click.platform);
        int countedToday = bits.day(day);
        if (!VisitorBits.has(countedToday, platform)) {
            ctx.output(DAY_TALLIES, new Tally(DAU + SEPARATOR + click.platform, 1));
        }
        if (!VisitorBits.counted(countedToday)) {
            ctx.output(DAY_TALLIES, new Tally(DAU_TOTAL, 1));
        }
        bits.setDay(day, VisitorBits.with(countedToday, platform));
        if ("register".equals(click.eventType) && bits.registeredDay() != day) {
            ctx.output(DAY_TALLIES, new Tally(NEW_USERS, 1));
            bits.setRegisteredDay(day);
        }
        bits.retain(m -> lastAdmittedMinute(m) > watermark, d -> lastAdmittedDay(d) > watermark);
        visitor.update(bits.toArray());
        if (stored == null) {
            ctx.timerService().registerEventTimeTimer(lastAdmittedDay(day));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tally> out) throws Exception {
        long[] stored = visitor.value();
        if (stored == null) {
            return;
        }
        VisitorBits bits = VisitorBits.of(stored);
        bits.retain(m -> lastAdmittedMinute(m) > timestamp, d -> lastAdmittedDay(d) > timestamp);
        if (bits.dayCount() == 0) {
            visitor.clear(); // minutes lie inside days: no day left means nothing left that could change
            return;
        }
        visitor.update(bits.toArray());
        ctx.timerService().registerEventTimeTimer(lastAdmittedDay(bits.newestDay()));
    }

    /** The last watermark at which an event of this minute is still admitted (its end - 1 ms + lateness). */
    private long lastAdmittedMinute(int minute) {
        return VisitorBits.millisOf(minute) + VisitorBits.MINUTE_MS - 1 + allowedLatenessMs;
    }

    /** The same for a business day (given by the minute it starts in). */
    private long lastAdmittedDay(int day) {
        return Period.DAY.end(VisitorBits.millisOf(day), businessTime.zone()) - 1 + allowedLatenessMs;
    }

    /** The start of the business day holding the time; the current day is kept, as nearly all events fall in it. */
    private long dayStart(long time) {
        if (time < cachedDayStart || time >= cachedDayEnd) {
            cachedDayStart = Period.DAY.start(time, businessTime.zone());
            cachedDayEnd = Period.DAY.end(time, businessTime.zone());
        }
        return cachedDayStart;
    }
}
