package dev.pulse.risk;

import dev.pulse.model.AlertRecord;
import dev.pulse.time.PendingTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The shared device and shared ip rules, keyed by the device or the ip of created orders: fires when the orders
 * of a window hold the threshold of distinct users, checked as each order arrives (in any order within the allowed
 * lateness). State: the origin's orders within the window ({@link RiskMarks}, the user as a hash), cleared by one
 * pending timer.
 *
 * <p>In event-time order ({@code inEventTimeOrder}, the final alerts) each order waits until the watermark passes it
 * and the origin's orders are judged in time order (then by order id), as a recomputation would; on arrival, the
 * live alerts, at once.
 */
public class SharedOriginRule extends KeyedProcessFunction<String, OriginOrder, AlertRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte ORDER = 1;

    private final RiskRules rules;
    private final String salt;
    private final long latenessMs;
    private final boolean inEventTimeOrder;
    private transient ValueState<RiskMarks> marks;
    /** In event-time order: the orders waiting for the watermark, by event time (each time has a timer). */
    private transient MapState<Long, List<OriginOrder>> pending;
    private transient AlertMaker alerts;
    private transient long[] quietMs;

    /** Judging each order as it arrives: the live alerts. */
    public SharedOriginRule(RiskRules rules, String salt, Duration allowedLateness) {
        this(rules, salt, allowedLateness, false);
    }

    public SharedOriginRule(RiskRules rules, String salt, Duration allowedLateness, boolean inEventTimeOrder) {
        this.rules = rules;
        this.salt = salt;
        this.latenessMs = allowedLateness.toMillis();
        this.inEventTimeOrder = inEventTimeOrder;
    }

    @Override
    public void open(OpenContext openContext) {
        marks = getRuntimeContext().getState(new ValueStateDescriptor<>("risk-origin",
                TypeInformation.of(RiskMarks.class)));
        if (inEventTimeOrder) {
            pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("risk-pending-origins", Types.LONG,
                    Types.LIST(TypeInformation.of(OriginOrder.class))));
        }
        alerts = new AlertMaker(salt);
        quietMs = rules.quietMs(Duration.ofMillis(latenessMs));
    }

    @Override
    public void processElement(OriginOrder o, Context ctx, Collector<AlertRecord> out) throws Exception {
        if (inEventTimeOrder) {
            List<OriginOrder> at = pending.get(o.at);
            List<OriginOrder> waiting = at == null ? new ArrayList<>() : new ArrayList<>(at);
            waiting.add(o);
            pending.put(o.at, waiting);
            ctx.timerService().registerEventTimeTimer(o.at); // a late one: the next watermark fires it
        } else {
            judge(o, ctx.timerService(), out);
        }
    }

    private void judge(OriginOrder o, TimerService timers, Collector<AlertRecord> out) throws Exception {
        RiskRule rule = o.rule();
        RuleSettings s = rules.of(rule);
        RiskMarks stored = marks.value();
        RiskMarks m = stored == null ? new RiskMarks() : stored;
        m.add(o.at, ORDER, 0, o.userHash, o.orderId);
        AlertRecord alert = WindowMatch.fire(m, rule, s, i -> true, i -> m.value[i], o.at,
                alerts.key(rule.keyKind(), o.raw()), alerts);
        if (alert != null) {
            out.collect(alert);
        }
        save(m, rule, timers);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        // what is forgotten is what no event still to judge can need: past the watermark when events are judged
        // as they arrive; in event-time order, past this timer's time (the waiting events are all later)
        long watermark = inEventTimeOrder ? timestamp : ctx.timerService().currentWatermark();
        if (inEventTimeOrder) {
            judgeDue(timestamp, ctx.timerService(), out);
        }
        RiskMarks m = marks.value();
        if (m == null) {
            return;
        }
        RiskRule rule = OriginOrder.ruleOf(ctx.getCurrentKey());
        long windowMs = rules.of(rule).window().toMillis();
        m.timer = PendingTimer.afterFiring(m.timer, watermark);
        m.retain(i -> m.at[i] + windowMs + latenessMs >= watermark);
        m.forgetFirings(quietMs, watermark);
        if (m.isEmpty()) {
            marks.clear();
            return;
        }
        save(m, rule, ctx.timerService());
    }

    /** The orders waiting at the timer's time, by order id (timers fire in time order). */
    private void judgeDue(long timestamp, TimerService timers, Collector<AlertRecord> out) throws Exception {
        List<OriginOrder> due = pending.get(timestamp);
        if (due == null) {
            return;
        }
        pending.remove(timestamp);
        List<OriginOrder> sorted = new ArrayList<>(due);
        sorted.sort(Comparator.comparing((OriginOrder o) -> o.orderId));
        for (OriginOrder o : sorted) {
            judge(o, timers, out);
        }
    }

    /** Due when the oldest order leaves every window an admitted order can make, or the firing's suppression ends. */
    private void save(RiskMarks m, RiskRule rule, TimerService timers) throws Exception {
        RuleSettings s = rules.of(rule);
        long due = m.size() > 0 ? m.at[0] + s.window().toMillis() + latenessMs + 1 : Long.MAX_VALUE;
        if (m.firedAt(rule) != RiskMarks.NONE) {
            due = Math.min(due, m.firedAt(rule) + s.suppression().toMillis() + latenessMs + 1);
        }
        m.timer = PendingTimer.schedule(timers, m.timer, due);
        marks.update(m);
    }
}
