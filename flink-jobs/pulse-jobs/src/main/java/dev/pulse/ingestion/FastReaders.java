package dev.pulse.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Where each schema property of each stream goes in its event: the only per-stream part of the fast reader. */
final class FastReaders {
    private FastReaders() {}

    static FastEventReader<?> forStream(Stream stream, JsonNode schema) {
        return switch (stream) {
            case CLICK -> new FastEventReader<>(schema, ClickEvent::new, Map.ofEntries(
                    Map.entry("event_id", (ClickEvent e, Object v) -> e.eventId = (String) v),
                    Map.entry("event_time", (ClickEvent e, Object v) -> e.eventTime = (Instant) v),
                    Map.entry("user_id", (ClickEvent e, Object v) -> e.userId = (String) v),
                    Map.entry("session_id", (ClickEvent e, Object v) -> e.sessionId = (String) v),
                    Map.entry("event_type", (ClickEvent e, Object v) -> e.eventType = (String) v),
                    Map.entry("page", (ClickEvent e, Object v) -> e.page = (String) v),
                    Map.entry("item_id", (ClickEvent e, Object v) -> e.itemId = (String) v),
                    Map.entry("category_id", (ClickEvent e, Object v) -> e.categoryId = (String) v),
                    Map.entry("channel", (ClickEvent e, Object v) -> e.channel = (String) v),
                    Map.entry("campaign_id", (ClickEvent e, Object v) -> e.campaignId = (String) v),
                    Map.entry("platform", (ClickEvent e, Object v) -> e.platform = (String) v),
                    Map.entry("device_id", (ClickEvent e, Object v) -> e.deviceId = (String) v),
                    Map.entry("ip", (ClickEvent e, Object v) -> e.ip = (String) v)));
            case ORDER -> new FastEventReader<>(schema, OrderEvent::new, Map.ofEntries(
                    Map.entry("event_id", (OrderEvent e, Object v) -> e.eventId = (String) v),
                    Map.entry("event_time", (OrderEvent e, Object v) -> e.eventTime = (Instant) v),
                    Map.entry("order_id", (OrderEvent e, Object v) -> e.orderId = (String) v),
                    Map.entry("user_id", (OrderEvent e, Object v) -> e.userId = (String) v),
                    Map.entry("status", (OrderEvent e, Object v) -> e.status = (String) v),
                    Map.entry("amount", (OrderEvent e, Object v) -> e.amount = (BigDecimal) v),
                    Map.entry("currency", (OrderEvent e, Object v) -> e.currency = (String) v),
                    Map.entry("discount", (OrderEvent e, Object v) -> e.discount = (BigDecimal) v),
                    Map.entry("item_count", (OrderEvent e, Object v) -> e.itemCount = (Integer) v),
                    Map.entry("address_hash", (OrderEvent e, Object v) -> e.addressHash = (String) v),
                    Map.entry("payment_method", (OrderEvent e, Object v) -> e.paymentMethod = (String) v),
                    Map.entry("channel", (OrderEvent e, Object v) -> e.channel = (String) v),
                    Map.entry("platform", (OrderEvent e, Object v) -> e.platform = (String) v),
                    Map.entry("device_id", (OrderEvent e, Object v) -> e.deviceId = (String) v),
                    Map.entry("ip", (OrderEvent e, Object v) -> e.ip = (String) v)));
            case AD -> new FastEventReader<>(schema, AdEvent::new, Map.ofEntries(
                    Map.entry("event_id", (AdEvent e, Object v) -> e.eventId = (String) v),
                    Map.entry("event_time", (AdEvent e, Object v) -> e.eventTime = (Instant) v),
                    Map.entry("kind", (AdEvent e, Object v) -> e.kind = (String) v),
                    Map.entry("impression_id", (AdEvent e, Object v) -> e.impressionId = (String) v),
                    Map.entry("campaign_id", (AdEvent e, Object v) -> e.campaignId = (String) v),
                    Map.entry("creative_id", (AdEvent e, Object v) -> e.creativeId = (String) v),
                    Map.entry("placement", (AdEvent e, Object v) -> e.placement = (String) v),
                    Map.entry("user_id", (AdEvent e, Object v) -> e.userId = (String) v),
                    Map.entry("device_id", (AdEvent e, Object v) -> e.deviceId = (String) v),
                    Map.entry("cost", (AdEvent e, Object v) -> e.cost = (BigDecimal) v),
                    Map.entry("currency", (AdEvent e, Object v) -> e.currency = (String) v)));
        };
    }
}
