package dev.pulse.model;

import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A clickstream event (schemas/click.schema.json). Serialized by {@link ClickEventSerializer}. */
@TypeInfo(ClickEventSerializer.Factory.class)
public class ClickEvent implements InputEvent {
    public String eventId;
    public Instant eventTime;
    /** Null for an anonymous visitor. */
    public String userId;
    public String sessionId;
    public String eventType;
    public String page;
    public String itemId;
    public String categoryId;
    public String channel;
    public String campaignId;
    public String platform;
    public String deviceId;
    public String ip;

    public ClickEvent() {}

    /** The user as the metrics count them: the user id, or the device for an anonymous visitor. */
    public String visitorId() {
        return userId != null ? "u:" + userId : "d:" + deviceId;
    }

    /** PV counts page and product views (see the metrics catalog). */
    public boolean countsAsPageView() {
        return "page_view".equals(eventType) || "product_view".equals(eventType);
    }

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
        if (!(o instanceof ClickEvent)) return false;
        ClickEvent e = (ClickEvent) o;
        return Objects.equals(eventId, e.eventId) && Objects.equals(eventTime, e.eventTime)
                && Objects.equals(userId, e.userId) && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(eventType, e.eventType) && Objects.equals(page, e.page)
                && Objects.equals(itemId, e.itemId) && Objects.equals(categoryId, e.categoryId)
                && Objects.equals(channel, e.channel) && Objects.equals(campaignId, e.campaignId)
                && Objects.equals(platform, e.platform) && Objects.equals(deviceId, e.deviceId)
                && Objects.equals(ip, e.ip);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTime, eventType);
    }

    @Override
    public String toString() {
        // ids of people and devices are never printed in clear
        return "ClickEvent{" + eventId + ", " + eventTime + ", " + eventType + ", " + channel + "/" + platform + "}";
    }
}
