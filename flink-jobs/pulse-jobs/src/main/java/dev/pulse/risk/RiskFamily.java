package dev.pulse.risk;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.EventIds;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
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
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Abnormal orders: the risk rules ({@link RiskRule}, settings from {@link RiskRules}) over the admitted orders and,
 * for coupon abuse, the register clicks. The rules keyed by user read the orders where ingestion left them (keyed
 * by user; the register clicks likewise), so only created orders are shuffled, to their device and their ip, for
 * the shared device / ip rules. The rules run twice: live alert records leave as each rule fires on an arriving
 * event; final ones once the watermark passes, judged in event-time order (what a recomputation gives, however the
 * events arrived). How many final alerts fired, by rule and severity, are metric records per minute and per
 * business day. Without click input, coupon abuse sees no registration and stays quiet.
 */
public final class RiskFamily implements MetricFamily {
    private static final char SEPARATOR = '|';
    /**
     * Alerts are rare: in a streaming job each leaves at once instead of waiting for a network buffer to fill or
     * time out (100 ms). Batch execution refuses a buffer timeout on its blocking exchanges: there, the default.
     */
    private static final long AT_ONCE = 0;
    private final RiskRules rules;
    private final String salt;

    public RiskFamily(RiskRules rules, String salt) {
        this.rules = rules;
        this.salt = salt;
    }

    @Override
    public String name() {
        return "risk";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.ORDER);
    }

    @Override
    public Set<Stream> optionalInputs() {
        return Set.of(Stream.CLICK);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        DataStream<OrderEvent> orders = admitted.orders();
        long bufferTimeout = orders.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                == RuntimeExecutionMode.BATCH ? ExecutionOptions.DISABLED_NETWORK_BUFFER_TIMEOUT : AT_ONCE;
        DataStream<ClickEvent> registrations = admitted.clicks() != null
                ? admitted.clicks().filter(c -> "register".equals(c.eventType) && c.userId != null)
                        .uid("risk-registrations").name("risk-registrations")
                // no clickstream: an empty stream that keeps the orders' partitioning
                : orders.flatMap((OrderEvent o, Collector<ClickEvent> out) -> {}, TypeInformation.of(ClickEvent.class))
                        .uid("risk-registrations").name("risk-registrations");
        DataStream<OriginOrder> origins = orders
                .flatMap(new ToOrigins(rules), TypeInformation.of(OriginOrder.class))
                .uid("risk-origins").name("risk-origins")
                .setBufferTimeout(bufferTimeout); // created orders only: few enough to send at once
        // the same rules twice: as events arrive for the live alerts (at once), and in event-time order once the
        // watermark passes for the final ones (what a recomputation gives, whatever the order of arrival)
        DataStream<AlertRecord> live = alerts(orders, registrations, origins, time, false, "", bufferTimeout);
        DataStream<AlertRecord> alerts = alerts(orders, registrations, origins, time, true, "-final", null);
        KeyedStream<PartialSums, String> counts = PeriodAggregation.byKey(alerts
                .transform("risk-alerts-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<AlertRecord>((a, to) -> to.addAt(a.rule + SEPARATOR + a.severity, 0, 1),
                                Period.MINUTE, time.businessTime()))
                .uid("risk-alerts-partial"));
        List<PeriodAggregation.Result> results = List.of(
                PeriodAggregation.aggregate(counts, Period.MINUTE, values(MetricDefinition.RISK_ALERTS), Stream.ORDER,
                        "risk-alerts-per-minute", time),
                PeriodAggregation.aggregate(counts, Period.DAY, values(MetricDefinition.RISK_ALERTS_DAY),
                        Stream.ORDER, "risk-alerts-per-day", time));
        return Output.of(results).withAlerts(alerts, live);
    }

    private DataStream<AlertRecord> alerts(DataStream<OrderEvent> orders, DataStream<ClickEvent> registrations,
                                           DataStream<OriginOrder> origins, TimePolicy time, boolean inEventTimeOrder,
                                           String suffix, Long bufferTimeout) {
        SingleOutputStreamOperator<AlertRecord> byUser = DataStreamUtils.reinterpretAsKeyedStream(orders,
                        VisitorKeys.<OrderEvent>selector(Stream.ORDER), TypeInformation.of(String.class))
                .connect(DataStreamUtils.reinterpretAsKeyedStream(registrations,
                        VisitorKeys.<ClickEvent>selector(Stream.CLICK), TypeInformation.of(String.class)))
                .process(new UserRiskRules(rules, salt, time.allowedLateness(), inEventTimeOrder),
                        TypeInformation.of(AlertRecord.class))
                .uid("risk-user-rules" + suffix).name("risk-user-rules" + suffix);
        SingleOutputStreamOperator<AlertRecord> byOrigin = origins
                .keyBy(o -> o.origin, TypeInformation.of(String.class))
                .process(new SharedOriginRule(rules, salt, time.allowedLateness(), inEventTimeOrder),
                        TypeInformation.of(AlertRecord.class))
                .uid("risk-shared-origin" + suffix).name("risk-shared-origin" + suffix);
        if (bufferTimeout != null) {
            byUser.setBufferTimeout(bufferTimeout);
            byOrigin.setBufferTimeout(bufferTimeout);
        }
        return byUser.union(byOrigin);
    }

    private static WindowValues values(MetricDefinition metric) {
        return (key, sums, out) -> {
            int cut = key.indexOf(SEPARATOR);
            out.value(metric.recordName(),
                    Map.of("rule", key.substring(0, cut), "severity", key.substring(cut + 1)), sums[0]);
        };
    }

    /** A created order to the key of its device and of its ip, for the enabled shared-origin rules. */
    private static final class ToOrigins implements FlatMapFunction<OrderEvent, OriginOrder> {
        private static final long serialVersionUID = 1L;
        private final boolean device;
        private final boolean ip;

        ToOrigins(RiskRules rules) {
            this.device = rules.enabled(RiskRule.SHARED_DEVICE);
            this.ip = rules.enabled(RiskRule.SHARED_IP);
        }

        @Override
        public void flatMap(OrderEvent o, Collector<OriginOrder> out) {
            if (!OrderEvent.CREATED.equals(o.status)) {
                return;
            }
            long at = o.eventTime.toEpochMilli();
            long user = EventIds.hash(o.userId);
            if (device && o.deviceId != null) {
                out.collect(new OriginOrder("d:" + o.deviceId, at, user, o.orderId));
            }
            if (ip && o.ip != null) {
                out.collect(new OriginOrder("i:" + o.ip, at, user, o.orderId));
            }
        }
    }
}
