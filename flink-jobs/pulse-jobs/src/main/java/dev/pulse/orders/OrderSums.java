package dev.pulse.orders;

import dev.pulse.model.ClickDimensions;
import java.math.BigDecimal;

/**
 * The sums the orders family adds up per window: one key per channel (counts and money, reported by channel) and
 * {@link #TOTAL} (the same over all channels, for the rates, plus paying users and repurchase per day). Money is
 * in cents: ingestion admits at most two decimals and bounded amounts, so every sum is exact.
 */
public final class OrderSums {
    static final String TOTAL = "total";
    private static final String CHANNEL = "channel|";

    static final int CREATED = 0;
    static final int PAID = 1;
    static final int PAID_CENTS = 2;
    static final int FAILED = 3;
    static final int CANCELLED = 4;
    static final int REFUNDS = 5;
    static final int REFUNDED_CENTS = 6;
    static final int CANCELLED_PAID_CENTS = 7;
    /** Slots an order event itself adds to: a key with any of them non-zero had order events. */
    static final int EVENT_SLOTS = 8;
    static final int PAYING_USERS = 8;
    static final int BUYERS_30D = 9;
    static final int REPEAT_BUYERS_30D = 10;

    /** The one sum of the net GMV windows' keys. */
    static final int NET_CENTS = 0;

    private static final String[] CHANNEL_KEYS = ClickDimensions.CHANNELS.stream().map(c -> CHANNEL + c)
            .toArray(String[]::new);

    private OrderSums() {}

    static int channelIndex(String channel) {
        return ClickDimensions.CHANNELS.indexOf(channel);
    }

    static String channelKey(int channel) {
        return CHANNEL_KEYS[channel];
    }

    /** The channel of a channel key, null for {@link #TOTAL}. */
    static String channelOf(String key) {
        return key.startsWith(CHANNEL) ? key.substring(CHANNEL.length()) : null;
    }

    public static long cents(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }
}
