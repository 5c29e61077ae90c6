package dev.pulse.risk;

/**
 * A created order, as the shared device and shared ip rules see it: sent to its device's key and to its ip's key.
 * A Flink POJO.
 */
public class OriginOrder {
    /** {@code d:<device>} or {@code i:<ip>}: the key it is shuffled to. */
    public String origin;
    public long at;
    public long userHash;
    public String orderId;

    public OriginOrder() {}

    OriginOrder(String origin, long at, long userHash, String orderId) {
        this.origin = origin;
        this.at = at;
        this.userHash = userHash;
        this.orderId = orderId;
    }

    RiskRule rule() {
        return ruleOf(origin);
    }

    static RiskRule ruleOf(String origin) {
        return origin.startsWith("d:") ? RiskRule.SHARED_DEVICE : RiskRule.SHARED_IP;
    }

    String raw() {
        return origin.substring(2);
    }
}
