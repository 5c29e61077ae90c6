package dev.pulse.generator;

import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Turns simulated actions into the model's events and schedules them. One emitter per id domain and label:
 * ordinary traffic has no label, a fraud incident's emitter stamps every event with its rule.
 */
final class Emitter {
    static final String CURRENCY = "CNY";

    private final EventTimeline timeline;
    final Ids ids;
    private final String label;

    Emitter(EventTimeline timeline, Ids ids, String label) {
        this.timeline = timeline;
        this.ids = ids;
        this.label = label;
    }

    Emitter withLabel(String newLabel) {
        return new Emitter(timeline, ids, newLabel);
    }

    void click(long t, Visit visit, String type, String page, Catalog.Item item) {
        ClickEvent e = new ClickEvent();
        e.eventId = ids.next(Ids.Kind.CLICK_EVENT);
        e.eventTime = Instant.ofEpochMilli(t);
        e.userId = visit.userId;
        e.sessionId = visit.sessionId;
        e.eventType = type;
        e.page = page;
        e.itemId = item == null ? null : item.id();
        e.categoryId = item == null ? null : item.categoryId();
        e.channel = visit.channel.code;
        e.campaignId = visit.campaignId;
        e.platform = visit.platform;
        e.deviceId = visit.deviceId();
        e.ip = visit.ip;
        timeline.schedule(t, Stream.CLICK, visit.key(), e, e.eventId, label);
    }

    void order(long t, Order order, String status, BigDecimal amount, int itemCount, String paymentMethod) {
        OrderEvent e = new OrderEvent();
        e.eventId = ids.next(Ids.Kind.ORDER_EVENT);
        e.eventTime = Instant.ofEpochMilli(t);
        e.orderId = order.orderId();
        e.userId = order.userId();
        e.status = status;
        e.amount = amount;
        e.currency = CURRENCY;
        e.discount = order.discount();
        e.itemCount = itemCount;
        e.addressHash = order.addressHash();
        e.paymentMethod = paymentMethod;
        e.channel = order.channel();
        e.platform = order.platform();
        e.deviceId = order.deviceId();
        e.ip = order.ip();
        timeline.schedule(t, Stream.ORDER, order.userId(), e, e.eventId, label);
    }

    void order(long t, Order order, String status, String paymentMethod) {
        order(t, order, status, order.amount(), order.itemCount(), paymentMethod);
    }

    /** Schedules an impression and returns its id (a click refers to it). */
    String impression(long t, Campaign campaign, String creative, String userId, String deviceId) {
        String impressionId = ids.next(Ids.Kind.IMPRESSION);
        ad(t, AdEvent.IMPRESSION, impressionId, campaign, creative, userId, deviceId, campaign.impressionCost());
        return impressionId;
    }

    void adClick(long t, String impressionId, Campaign campaign, String creative, String userId, String deviceId) {
        ad(t, AdEvent.CLICK, impressionId, campaign, creative, userId, deviceId, campaign.clickCost());
    }

    private void ad(long t, String kind, String impressionId, Campaign campaign, String creative, String userId,
                    String deviceId, BigDecimal cost) {
        AdEvent e = new AdEvent();
        e.eventId = ids.next(Ids.Kind.AD_EVENT);
        e.eventTime = Instant.ofEpochMilli(t);
        e.kind = kind;
        e.impressionId = impressionId;
        e.campaignId = campaign.id();
        e.creativeId = creative;
        e.placement = campaign.placement();
        e.userId = userId;
        e.deviceId = deviceId;
        e.cost = cost;
        e.currency = CURRENCY;
        timeline.schedule(t, Stream.AD, userId != null ? userId : deviceId, e, e.eventId, label);
    }
}
