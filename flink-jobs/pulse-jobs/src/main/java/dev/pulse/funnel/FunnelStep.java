package dev.pulse.funnel;

import java.util.Objects;

/** One event that is a step of the funnel, for one visitor: all the funnel needs of a click or an order. A POJO. */
public class FunnelStep {
    public static final int PRODUCT_VIEW = 0;
    public static final int ADD_TO_CART = 1;
    public static final int ORDER_CREATED = 2;
    public static final int ORDER_PAID = 3;
    /** The {@code step} label of each, in order. */
    public static final String[] NAMES = {"product_view", "add_to_cart", "order_created", "order_paid"};
    /** An order step carries no channel: a chain's channel is that of its first step. */
    public static final int NO_CHANNEL = 7;

    public String visitor;
    public long time;
    public int step;
    public int channel;

    public FunnelStep() {}

    public FunnelStep(String visitor, long time, int step, int channel) {
        this.visitor = visitor;
        this.time = time;
        this.step = step;
        this.channel = channel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FunnelStep f && time == f.time && step == f.step && channel == f.channel
                && Objects.equals(visitor, f.visitor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(visitor, time, step, channel);
    }

    @Override
    public String toString() {
        return visitor + " " + NAMES[step] + "@" + time + (channel == NO_CHANNEL ? "" : "/" + channel);
    }
}
