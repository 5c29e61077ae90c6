package dev.pulse.funnel;

import static dev.pulse.window.WindowValues.sum;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickDimensions;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.Tally;
import dev.pulse.window.WindowValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * The ordered funnel product_view -> add_to_cart -> order created -> order paid, per business day of the first
 * step: visitors reaching each step, by the channel of the first step and in total, step conversion and overall
 * conversion (paid / product_view). The clicks are already partitioned by visitor and go to the
 * {@link VisitorFunnel} without a shuffle; the orders (few) are shuffled to their user and to the anonymous
 * visitor of their device, so an order also completes the funnel of what its device did before logging in.
 */
public final class FunnelFamily implements MetricFamily {
    private final Duration window;

    public FunnelFamily(Duration window) {
        this.window = window;
    }

    @Override
    public String name() {
        return "funnel";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.CLICK, Stream.ORDER);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        KeyedStream<FunnelStep, String> clickSteps = DataStreamUtils.reinterpretAsKeyedStream(admitted.clicks()
                        .flatMap(FunnelFamily::clickStep, TypeInformation.of(FunnelStep.class))
                        .uid("funnel-click-steps").name("funnel-click-steps"),
                step -> step.visitor, TypeInformation.of(String.class));
        KeyedStream<FunnelStep, String> orderSteps = admitted.orders()
                .flatMap(FunnelFamily::orderSteps, TypeInformation.of(FunnelStep.class))
                .uid("funnel-order-steps").name("funnel-order-steps")
                .keyBy(step -> step.visitor, TypeInformation.of(String.class));
        DataStream<Tally> tallies = clickSteps.connect(orderSteps)
                .process(new VisitorFunnel(window, time.allowedLateness(), time.businessTime()),
                        TypeInformation.of(Tally.class))
                .uid("visitor-funnel").name("visitor-funnel");
        // a chain starting late in a day ends up to a window after it: the day stays open that much longer
        Duration closesAfter = VisitorFunnel.closesAfter(window, time.allowedLateness());
        TimePolicy funnelTime = time.withLateness(closesAfter);
        PeriodAggregation.Result perDay = PeriodAggregation.aggregate(PeriodAggregation.byKey(
                        Tally.preAggregate(tallies, Period.DAY, "funnel-day-partial", time)),
                Period.DAY, FunnelFamily::dayValues, Stream.CLICK, "funnel-per-day", funnelTime);
        return Output.of(List.of(perDay));
    }

    private static void clickStep(ClickEvent click, Collector<FunnelStep> out) {
        int step = switch (click.eventType) {
            case "product_view" -> FunnelStep.PRODUCT_VIEW;
            case "add_to_cart" -> FunnelStep.ADD_TO_CART;
            default -> -1;
        };
        if (step >= 0) {
            out.collect(new FunnelStep(click.visitorId(), click.eventTime().toEpochMilli(), step,
                    ClickDimensions.CHANNELS.indexOf(click.channel)));
        }
    }

    private static void orderSteps(OrderEvent order, Collector<FunnelStep> out) {
        int step = switch (order.status) {
            case OrderEvent.CREATED -> FunnelStep.ORDER_CREATED;
            case OrderEvent.PAID -> FunnelStep.ORDER_PAID;
            default -> -1;
        };
        if (step >= 0) {
            long time = order.eventTime().toEpochMilli();
            out.collect(new FunnelStep(VisitorKeys.user(order.userId), time, step, FunnelStep.NO_CHANNEL));
            out.collect(new FunnelStep(VisitorKeys.device(order.deviceId), time, step, FunnelStep.NO_CHANNEL));
        }
    }

    /** A day with no first step reports nothing; a channel reports once a visitor started through it. */
    private static void dayValues(String key, long[] sums, WindowValues.ValueSink out) {
        int total = VisitorFunnel.TOTAL_LANE;
        if (sum(sums, VisitorFunnel.slot(0, total)) == 0) {
            return;
        }
        for (int lane = 0; lane <= total; lane++) {
            long first = sum(sums, VisitorFunnel.slot(0, lane));
            if (first == 0) {
                continue;
            }
            String channel = lane == total ? null : ClickDimensions.CHANNELS.get(lane);
            for (int k = 0; k < FunnelStep.NAMES.length; k++) {
                long atStep = sum(sums, VisitorFunnel.slot(k, lane));
                String step = FunnelStep.NAMES[k];
                if (channel == null) {
                    out.value(MetricDefinition.FUNNEL_USERS_TOTAL.recordName(), Map.of("step", step), atStep);
                } else {
                    out.value(MetricDefinition.FUNNEL_USERS.recordName(), Map.of("step", step, "channel", channel),
                            atStep);
                }
                long before = k == 0 ? 0 : sum(sums, VisitorFunnel.slot(k - 1, lane));
                if (before > 0) {
                    double conversion = (double) atStep / before;
                    if (channel == null) {
                        out.value(MetricDefinition.FUNNEL_STEP_CONVERSION_TOTAL.recordName(), Map.of("step", step),
                                conversion);
                    } else {
                        out.value(MetricDefinition.FUNNEL_STEP_CONVERSION.recordName(),
                                Map.of("step", step, "channel", channel), conversion);
                    }
                }
            }
            double overall = (double) sum(sums, VisitorFunnel.slot(FunnelStep.NAMES.length - 1, lane)) / first;
            if (channel == null) {
                out.value(MetricDefinition.FUNNEL_CONVERSION_TOTAL.recordName(), Map.of(), overall);
            } else {
                out.value(MetricDefinition.FUNNEL_CONVERSION.recordName(), Map.of("channel", channel), overall);
            }
        }
    }
}
