package dev.pulse.orders;

/** Per-minute order totals of one channel; money in cents so sums are exact. A Flink POJO. */
public class OrderTotals {
    public long created;
    public long paid;
    public long paidCents;

    public OrderTotals() {}

    public OrderTotals(long created, long paid, long paidCents) {
        this.created = created;
        this.paid = paid;
        this.paidCents = paidCents;
    }
}
