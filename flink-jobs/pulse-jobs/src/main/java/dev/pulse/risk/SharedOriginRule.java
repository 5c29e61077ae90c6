package dev.pulse.risk;

import dev.pulse.model.AlertRecord;
import dev.pulse.time.PendingTimer;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The shared device and shared ip rules, keyed by the device or the ip of created orders: fires when the orders
 * of a window hold the threshold of distinct users, checked as each order arrives (in any order within the allowed
 * lateness). State: the origin's orders within the window ({@link RiskMarks}, the user as a hash), cleared by one
 * pending timer.
 */
public class SharedOriginRule extends KeyedProcessFunction<String, OriginOrder, AlertRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte ORDER = 1;

    private final RiskRules rules;
    private final String salt;
    private final long latenessMs;
    private transient ValueState<RiskMarks> marks;
    private transient AlertMaker alerts;
    private transient long[] quietMs;

    public SharedOriginRule(RiskRules rules, String salt, Duration allowedLateness) {
        this.rules = rules;
        this.salt = salt;
        this.latenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        marks = getRuntimeContext().getState(new ValueStateDescriptor<>("risk-origin",
                TypeInformation.of(RiskMarks.class)));
        alerts = new AlertMaker(salt);
        quietMs = rules.quietMs(Duration.ofMillis(latenessMs));
    }

    @Override
    public void processElement(OriginOrder o, Context ctx, Collector<AlertRecord> out) throws Exception {
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
        save(m, rule, ctx.timerService());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        RiskMarks m = marks.value();
        if (m == null) {
            return;
        }
        RiskRule rule = OriginOrder.ruleOf(ctx.getCurrentKey());
        long watermark = ctx.timerService().currentWatermark();
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
