package dev.pulse.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** An ad impression or click (schemas/ad.schema.json). Serialized by {@link AdEventSerializer}. */
@TypeInfo(AdEventSerializer.Factory.class)
public class AdEvent implements InputEvent {
    public static final String IMPRESSION = "impression";
    public static final String CLICK = "click";

    public String eventId;
    public Instant eventTime;
    public String kind;
    public String impressionId;
    public String campaignId;
    public String creativeId;
    public String placement;
    public String userId;
    public String deviceId;
    public BigDecimal cost;
    public String currency;

    public AdEvent() {}

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
        if (!(o instanceof AdEvent)) return false;
        AdEvent e = (AdEvent) o;
        return Objects.equals(eventId, e.eventId) && Objects.equals(eventTime, e.eventTime)
                && Objects.equals(kind, e.kind) && Objects.equals(impressionId, e.impressionId)
                && Objects.equals(campaignId, e.campaignId) && Objects.equals(creativeId, e.creativeId)
                && Objects.equals(placement, e.placement) && Objects.equals(userId, e.userId)
                && Objects.equals(deviceId, e.deviceId) && Objects.equals(cost, e.cost)
                && Objects.equals(currency, e.currency);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventTime, kind);
    }

    @Override
    public String toString() {
        return "AdEvent{" + eventId + ", " + eventTime + ", " + kind + ", " + campaignId + "}";
    }
}
