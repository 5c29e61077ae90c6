package dev.pulse.ads;

/**
 * A payment of an order, addressed to one visitor whose ad clicks may have brought it: the order's user, or the
 * anonymous visitor of the device it was paid from. A Flink POJO.
 */
public class OrderPayment {
    /** The visitor key ({@code u:user} or {@code d:device}) whose clicks are looked at. */
    public String visitor;
    public String userId;
    /** {@link dev.pulse.ingestion.EventIds#hash} of the order id. */
    public long orderHash;
    /** Event time of the payment (epoch ms). */
    public long paidAt;

    public OrderPayment() {}

    public OrderPayment(String visitor, String userId, long orderHash, long paidAt) {
        this.visitor = visitor;
        this.userId = userId;
        this.orderHash = orderHash;
        this.paidAt = paidAt;
    }

    @Override
    public String toString() {
        return visitor + " paid " + Long.toHexString(orderHash) + " at " + paidAt;
    }
}
