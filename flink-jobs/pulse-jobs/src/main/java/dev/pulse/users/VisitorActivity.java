package dev.pulse.users;

import dev.pulse.model.ClickEvent;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
 * holds can no longer change.
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
    private static final long COUNTED = 1L << 63;
    private static final long MINUTE_MS = 60_000;

    private final long allowedLatenessMs;
    private final BusinessTime businessTime;
    private transient ValueState<VisitorDays> visitor;
    private transient long cachedDayStart;
    private transient long cachedDayEnd;

    public VisitorActivity(Duration allowedLateness, BusinessTime businessTime) {
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.businessTime = businessTime;
    }

    @Override
    public void open(OpenContext openContext) {
        visitor = getRuntimeContext().getState(new ValueStateDescriptor<>("visitor-days", VisitorDays.class));
        cachedDayEnd = Long.MIN_VALUE;
    }

    @Override
    public void processElement(ClickEvent click, Context ctx, Collector<Tally> out) throws Exception {
        long time = click.eventTime().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        VisitorDays days = visitor.value();
        boolean first = days == null;
        if (first) {
            days = new VisitorDays();
        }
        long minute = Math.floorDiv(time, MINUTE_MS) * MINUTE_MS;
        long pair = 1L << ClickDimensions.pair(click.channel, click.platform);
        long counted = bitsOf(days.minutes, minute);
        if ((counted & pair) == 0) {
            out.collect(new Tally(UV + SEPARATOR + click.channel + SEPARATOR + click.platform, 1));
        }
        if ((counted & COUNTED) == 0) {
            out.collect(new Tally(UV_TOTAL, 1));
        }
        days.minutes = withBits(prune(days.minutes, watermark, false), minute, counted | pair | COUNTED);

        long day = dayStart(time);
        long platform = 1L << ClickDimensions.PLATFORMS.indexOf(click.platform);
        long countedToday = bitsOf(days.days, day);
        if ((countedToday & platform) == 0) {
            ctx.output(DAY_TALLIES, new Tally(DAU + SEPARATOR + click.platform, 1));
        }
        if ((countedToday & COUNTED) == 0) {
            ctx.output(DAY_TALLIES, new Tally(DAU_TOTAL, 1));
        }
        days.days = withBits(prune(days.days, watermark, true), day, countedToday | platform | COUNTED);
        if ("register".equals(click.eventType) && days.registeredDay != day) {
            ctx.output(DAY_TALLIES, new Tally(NEW_USERS, 1));
            days.registeredDay = day;
        }
        visitor.update(days);
        if (first) {
            ctx.timerService().registerEventTimeTimer(lastAdmitted(day, true));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tally> out) throws Exception {
        VisitorDays days = visitor.value();
        if (days == null) {
            return;
        }
        days.minutes = prune(days.minutes, timestamp, false);
        days.days = prune(days.days, timestamp, true);
        if (days.days.length == 0) {
            visitor.clear(); // minutes lie inside days: no day left means nothing left that could change
            return;
        }
        visitor.update(days);
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < days.days.length; i += 2) {
            newest = Math.max(newest, lastAdmitted(days.days[i], true));
        }
        ctx.timerService().registerEventTimeTimer(newest);
    }

    /** The last watermark at which an event of this minute or day is still admitted (its end - 1 ms + lateness). */
    private long lastAdmitted(long start, boolean isDay) {
        long end = isDay ? Period.DAY.end(start, businessTime.zone()) : start + MINUTE_MS;
        return end - 1 + allowedLatenessMs;
    }

    /** The entries whose period can still receive events. */
    private long[] prune(long[] entries, long watermark, boolean isDay) {
        int live = 0;
        for (int i = 0; i < entries.length; i += 2) {
            if (lastAdmitted(entries[i], isDay) > watermark) {
                live++;
            }
        }
        if (live * 2 == entries.length) {
            return entries;
        }
        long[] kept = new long[live * 2];
        int j = 0;
        for (int i = 0; i < entries.length; i += 2) {
            if (lastAdmitted(entries[i], isDay) > watermark) {
                kept[j++] = entries[i];
                kept[j++] = entries[i + 1];
            }
        }
        return kept;
    }

    private static long bitsOf(long[] entries, long start) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == start) {
                return entries[i + 1];
            }
        }
        return 0;
    }

    private static long[] withBits(long[] entries, long start, long bits) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i] == start) {
                entries[i + 1] = bits;
                return entries;
            }
        }
        long[] grown = Arrays.copyOf(entries, entries.length + 2);
        grown[entries.length] = start;
        grown[entries.length + 1] = bits;
        return grown;
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
