package dev.pulse.testing;

import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Small builders of valid input events for tests. */
public final class Events {
    private Events() {}

    public static ClickEvent click(String id, Instant time, String type, String channel, String platform) {
        ClickEvent e = new ClickEvent();
        e.eventId = id;
        e.eventTime = time;
        e.userId = "user-" + id;
        e.sessionId = "session-" + id;
        e.eventType = type;
        e.page = "/p";
        e.itemId = type.equals("page_view") ? null : "item-1";
        e.channel = channel;
        e.platform = platform;
        e.deviceId = "device-" + id;
        return e;
    }

    public static ClickEvent pageView(String id, Instant time, String channel, String platform) {
        return click(id, time, "page_view", channel, platform);
    }

    public static OrderEvent order(String id, Instant time, String status, String amount, String channel) {
        OrderEvent e = new OrderEvent();
        e.eventId = id;
        e.eventTime = time;
        e.orderId = "order-" + id;
        e.userId = "user-" + id;
        e.status = status;
        e.amount = new BigDecimal(amount);
        e.currency = "CNY";
        e.discount = BigDecimal.ZERO;
        e.itemCount = 1;
        e.channel = channel;
        e.deviceId = "device-" + id;
        return e;
    }

    /** An ad impression or click of a user's impression, in CNY. */
    public static AdEvent ad(String id, Instant time, String kind, String impressionId, String campaign,
                             String creative, String user, String cost) {
        AdEvent e = new AdEvent();
        e.eventId = id;
        e.eventTime = time;
        e.kind = kind;
        e.impressionId = impressionId;
        e.campaignId = campaign;
        e.creativeId = creative;
        e.placement = "feed";
        e.userId = user;
        e.deviceId = "device-" + user;
        e.cost = new BigDecimal(cost);
        e.currency = "CNY";
        return e;
    }

    public static String json(Object event) {
        return Json.write(event);
    }
}
