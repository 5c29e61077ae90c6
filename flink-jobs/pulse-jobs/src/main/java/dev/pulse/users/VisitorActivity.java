package dev.pulse.users;

import dev.pulse.model.ClickDimensions;
import dev.pulse.model.ClickEvent;
import dev.pulse.time.BusinessDays;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.PendingTimer;
import dev.pulse.window.Tally;
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
 * the admitted clicks without a further shuffle. It sends a {@link Tally} the first time a visitor counts
 * somewhere, never once per event: in a minute for a channel and platform and in total (UV, main output); in a
 * business day for a platform, a channel and in total (DAU, traffic mix), for the days of MAU it newly covers, for
 * registering (new users, and the cohorts of D1 and D7 retention, ahead on the days they are measured) and for
 * coming back on the day after or the week after registering ({@link #DAY_TALLIES}); and a session when it ends
 * ({@link #SESSION_TALLIES}, in the day of its last event).
 *
 * <p>A minute or day is remembered while events may still be admitted for it (its end + the allowed lateness),
 * so a late event is never counted twice; a session ends when no event less than a gap after its last can still
 * be admitted. The active days are kept as bits for {@link #MAU_DAYS} days, after which one more active day would
 * count as if it were the first: then the state is cleared. One pending event-time timer per visitor does all of
 * this. The state is a few longs ({@link VisitorBits}).
 */
public class VisitorActivity extends KeyedProcessFunction<String, ClickEvent, Tally> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Tally> DAY_TALLIES = new OutputTag<>("day-tallies", TypeInformation.of(Tally.class));
    public static final OutputTag<Tally> SESSION_TALLIES =
            new OutputTag<>("session-tallies", TypeInformation.of(Tally.class));
    /** MAU counts the business days ending today: this many. */
    static final int MAU_DAYS = 30;
    /** D7 retention looks this many days past a registration. */
    static final int RETENTION_DAYS = 7;

    private final long allowedLatenessMs;
    private final long sessionGapMs;
    private final boolean countsUv;
    private final boolean countsMau;
    private final BusinessTime businessTime;
    private transient ValueState<long[]> visitor;
    private transient BusinessDays days;

    public VisitorActivity(Duration allowedLateness, Duration sessionGap, BusinessTime businessTime) {
        this(allowedLateness, sessionGap, true, true, businessTime);
    }

    /**
     * @param countsUv false when UV is counted by sketches: no minute is remembered
     * @param countsMau false when MAU is counted by sketches: a visitor is kept {@value #RETENTION_DAYS} days
     *     after its newest active day (for D7 retention), not {@value #MAU_DAYS}
     */
    public VisitorActivity(Duration allowedLateness, Duration sessionGap, boolean countsUv, boolean countsMau,
                           BusinessTime businessTime) {
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.sessionGapMs = sessionGap.toMillis();
        this.countsUv = countsUv;
        this.countsMau = countsMau;
        this.businessTime = businessTime;
    }

    @Override
    public void open(OpenContext openContext) {
        visitor = getRuntimeContext().getState(new ValueStateDescriptor<>("visitor",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        days = new BusinessDays(businessTime.zone());
    }

    @Override
    public void processElement(ClickEvent click, Context ctx, Collector<Tally> out) throws Exception {
        long time = click.eventTime().toEpochMilli();
        VisitorBits v = VisitorBits.of(visitor.value());
        int channel = ClickDimensions.CHANNELS.indexOf(click.channel);
        int platform = ClickDimensions.PLATFORMS.indexOf(click.platform);

        if (countsUv) {
            int minute = VisitorBits.minuteOf(time);
            int pair = ClickDimensions.pair(channel, platform);
            int countedInMinute = v.minute(minute);
            if (!VisitorBits.has(countedInMinute, pair)) {
                out.collect(new Tally(UserSums.uv(pair), 0, 1, time));
            }
            if (!VisitorBits.counted(countedInMinute)) {
                out.collect(new Tally(UserSums.UV_TOTAL, 0, 1, time));
            }
            v.setMinute(minute, VisitorBits.with(countedInMinute, pair));
        }

        int day = days.dayOf(time);
        int countedToday = v.day(day);
        if (!VisitorBits.counted(countedToday)) {
            firstActiveOn(day, v, ctx);
        }
        if (!VisitorBits.has(countedToday, platform)) {
            day(ctx, UserSums.dau(platform), day);
        }
        if (!VisitorBits.has(countedToday, VisitorBits.CHANNEL_BIT + channel)) {
            day(ctx, UserSums.uvOfChannel(channel), day);
        }
        v.setDay(day, VisitorBits.with(VisitorBits.with(countedToday, platform), VisitorBits.CHANNEL_BIT + channel));
        if ("register".equals(click.eventType) && !v.registeredOn(day)) {
            registers(day, v, ctx);
        }
        v.addToSession(time, click.countsAsPageView(), sessionGapMs);

        long watermark = ctx.timerService().currentWatermark();
        v.retain(m -> lastAdmittedMinute(m) > watermark, d -> lastAdmittedDay(d) > watermark);
        schedule(v, ctx);
        visitor.update(v.toArray());
    }

    /** DAU, the days of MAU it newly covers, and retention if it registered a day or a week before. */
    private void firstActiveOn(int day, VisitorBits v, Context ctx) {
        int before = v.activeBefore(day);
        int after = v.activeAfter(day);
        v.markActive(day);
        day(ctx, UserSums.DAU_TOTAL, day);
        if (countsMau) {
            int from = before != VisitorBits.NONE && before + MAU_DAYS > day ? before + MAU_DAYS : day;
            int to = after != VisitorBits.NONE ? Math.min(day + MAU_DAYS - 1, after - 1) : day + MAU_DAYS - 1;
            if (to >= from) {
                // one record for the whole range: a new visitor's 30 days would otherwise be 30 records
                ctx.output(DAY_TALLIES, new Tally(UserSums.DAY, UserSums.MAU, 1, days.startOf(from), to - from + 1));
            }
        }
        if (v.registeredOn(day - 1)) {
            day(ctx, UserSums.RETAINED_D1, day);
        }
        if (v.registeredOn(day - 7)) {
            day(ctx, UserSums.RETAINED_D7, day);
        }
    }

    /** A new user today; in the cohorts measured tomorrow and in a week (already retained if it came late). */
    private void registers(int day, VisitorBits v, Context ctx) {
        v.markRegistered(day);
        day(ctx, UserSums.NEW_USERS, day);
        day(ctx, UserSums.COHORT_D1, day + 1);
        day(ctx, UserSums.COHORT_D7, day + 7);
        if (v.activeOn(day + 1)) {
            day(ctx, UserSums.RETAINED_D1, day + 1);
        }
        if (v.activeOn(day + 7)) {
            day(ctx, UserSums.RETAINED_D7, day + 7);
        }
    }

    private void day(Context ctx, int slot, int day) {
        ctx.output(DAY_TALLIES, new Tally(UserSums.DAY, slot, 1, days.startOf(day)));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tally> out) throws Exception {
        long[] stored = visitor.value();
        if (stored == null) {
            return;
        }
        VisitorBits v = VisitorBits.of(stored);
        long watermark = ctx.timerService().currentWatermark();
        v.setTimer(PendingTimer.afterFiring(v.timer(), watermark));
        v.closeSessions(last -> sessionClosesAt(last) <= watermark, (start, last, pageViews) -> {
            ctx.output(SESSION_TALLIES, new Tally(UserSums.SESSIONS, UserSums.SESSION_COUNT, 1, last));
            if (pageViews == 1) {
                ctx.output(SESSION_TALLIES, new Tally(UserSums.SESSIONS, UserSums.BOUNCES, 1, last));
            }
            ctx.output(SESSION_TALLIES, new Tally(UserSums.SESSIONS, UserSums.SESSION_MILLIS, last - start, last));
        });
        v.retain(m -> lastAdmittedMinute(m) > watermark, d -> lastAdmittedDay(d) > watermark);
        if (v.sessionCount() == 0 && forgetAt(v) <= watermark) {
            visitor.clear();
            return;
        }
        schedule(v, ctx);
        visitor.update(v.toArray());
    }

    /** Registers a timer for the next thing due, unless one is pending no later than that. */
    private void schedule(VisitorBits v, Context ctx) {
        long due = forgetAt(v);
        for (int i = 0; i < v.dayCount(); i++) {
            due = Math.min(due, lastAdmittedDay(v.dayAt(i)));
        }
        for (int i = 0; i < v.sessionCount(); i++) {
            due = Math.min(due, sessionClosesAt(v.sessionLast(i)));
        }
        v.setTimer(PendingTimer.schedule(ctx.timerService(), v.timer(), due));
    }

    /** After this, one more active day would count as the first (or, without MAU, as no retention): it can go. */
    private long forgetAt(VisitorBits v) {
        return lastAdmittedDay(v.newestDay() + (countsMau ? MAU_DAYS - 1 : RETENTION_DAYS));
    }

    /** When no event less than a gap after the session's last can be admitted any more. */
    private long sessionClosesAt(long last) {
        return lastAdmittedMinute(VisitorBits.minuteOf(last + sessionGapMs - 1));
    }

    /** The last watermark at which an event of this minute is still admitted (its end - 1 ms + lateness). */
    private long lastAdmittedMinute(int minute) {
        return VisitorBits.millisOf(minute) + VisitorBits.MINUTE_MS - 1 + allowedLatenessMs;
    }

    /** The same for a business day (an epoch day in the business time zone). */
    private long lastAdmittedDay(int day) {
        return days.startOf(day + 1) - 1 + allowedLatenessMs;
    }
}
