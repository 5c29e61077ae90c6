package dev.pulse.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A status transition of an order (schemas/order.schema.json). Serialized by {@link OrderEventSerializer}. */
@TypeInfo(OrderEventSerializer.Factory.class)
public class OrderEvent implements InputEvent {
    public static final String CREATED = "created";
    public static final String PAID = "paid";
    public static final String PAYMENT_FAILED = "payment_failed";
    public static final String CANCELLED = "cancelled";
    public static final String REFUNDED = "refunded";

    public String eventId;
    public Instant eventTime;
    public String orderId;
    public String userId;
    public String status;
    public BigDecimal amount;
    public String currency;
    public BigDecimal discount;
    public int itemCount;
    public String addressHash;
    public String paymentMethod;
    public String channel;
    public String platform;
    public String deviceId;
    public String ip;

    public OrderEvent() {}

    @Override
    public String eventId() {
        return eventId;
    }

    @Override
    public Instant eventTime() {
        return eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof OrderEvent)) return false;
        OrderEvent e = (OrderEvent) o;
        return itemCount == e.itemCount && Objects.equals(eventId, e.eventId)
                && Objects.equals(eventTime, e.eventTime) && Objects.equals(orderId, e.orderId)
                && Objects.equals(userId, e.userId) && Objects.equals(status, e.status)
                && Objects.equals(amount, e.amount) && Objects.equals(currency, e.currency)
                && Objects.equals(discount, e.discount) && Objects.equals(addressHash, e.addressHash)
                && Objects.equals(paymentMethod, e.paymentMethod) && Objects.equals(channel, e.channel)
                && Objects.equals(platform, e.platform) && Objects.equals(deviceId, e.deviceId)
                && Objects.equals(ip, e.ip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTime, status);
    }

    @Override
    public String toString() {
        return "OrderEvent{" + eventId + ", " + eventTime + ", " + status + ", " + amount + " " + currency
                + ", " + channel + "}";
    }
}
