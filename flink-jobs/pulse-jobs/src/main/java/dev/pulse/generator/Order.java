package dev.pulse.generator;

import java.math.BigDecimal;

/** What an order event repeats on every status transition. {@code amount} is the total after discount. */
record Order(String orderId, String userId, BigDecimal amount, BigDecimal discount, int itemCount,
             String addressHash, String channel, String platform, String deviceId, String ip) {

    static Order of(String orderId, Visit visit, String addressHash, BigDecimal amount, BigDecimal discount,
                    int itemCount) {
        return new Order(orderId, visit.userId, amount, discount, itemCount, addressHash, visit.channel.code,
                visit.platform, visit.deviceId(), visit.ip);
    }
}
