package dev.pulse.testing;

import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A straightforward batch recomputation of the metrics, written independently of the pipeline: plain loops over
 * de-duplicated valid events. Results are keyed like "page_views/minute{channel=..,platform=..}@start".
 */
public final class Recompute {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private Recompute() {}

    /** Orders and GMV per business day in the zone, keyed like {@link #orders} with period "day". */
    public static Map<String, Double> ordersPerDay(Collection<OrderEvent> uniqueValidOrders, String currency,
                                                   ZoneId zone) {
        return ordersBy(uniqueValidOrders, currency, (name, labels, time) -> dayKey(name, labels, time, zone));
    }

    /** The key of a business-day value: the day's local midnight, written with the zone's offset then. */
    public static String dayKey(String name, Map<String, String> labels, Instant eventTime, ZoneId zone) {
        ZonedDateTime midnight = eventTime.atZone(zone).toLocalDate().atStartOfDay(zone);
        return name + "/day" + new TreeMap<>(labels) + "@" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(midnight);
    }

    /**
     * UV per minute (by channel and platform, and in total), DAU per business day (by platform, and in total) and
     * new users per day (distinct users with a register event): distinct visitors, a visitor being the user, or
     * the device when there is no user.
     */
    public static Map<String, Double> users(Collection<ClickEvent> uniqueValidClicks, ZoneId zone) {
        Map<String, Set<String>> distinct = new TreeMap<>();
        for (ClickEvent e : uniqueValidClicks) {
            String visitor = e.userId == null ? "device " + e.deviceId : "user " + e.userId;
            distinct.computeIfAbsent(key("uv", Map.of("channel", e.channel, "platform", e.platform), e.eventTime, zone),
                    k -> new HashSet<>()).add(visitor);
            distinct.computeIfAbsent(key("uv_total", Map.of(), e.eventTime, zone), k -> new HashSet<>()).add(visitor);
            distinct.computeIfAbsent(dayKey("dau", Map.of("platform", e.platform), e.eventTime, zone),
                    k -> new HashSet<>()).add(visitor);
            distinct.computeIfAbsent(dayKey("dau_total", Map.of(), e.eventTime, zone), k -> new HashSet<>())
                    .add(visitor);
            if (e.eventType.equals("register")) {
                distinct.computeIfAbsent(dayKey("new_users", Map.of(), e.eventTime, zone), k -> new HashSet<>())
                        .add(visitor);
            }
        }
        Map<String, Double> values = new TreeMap<>();
        distinct.forEach((k, visitors) -> values.put(k, (double) visitors.size()));
        return values;
    }

    public static Map<String, Double> pageViews(Collection<ClickEvent> uniqueValidClicks) {
        Map<String, Double> values = new TreeMap<>();
        for (ClickEvent e : uniqueValidClicks) {
            if (e.eventType.equals("page_view") || e.eventType.equals("product_view")) {
                Map<String, String> labels = new TreeMap<>(Map.of("channel", e.channel, "platform", e.platform));
                values.merge(key("page_views", labels, e.eventTime), 1.0, Double::sum);
            }
        }
        return values;
    }

    /** orders_created, orders_paid and gmv for every minute and channel with a created or paid order. */
    public static Map<String, Double> orders(Collection<OrderEvent> uniqueValidOrders, String currency) {
        return orders(uniqueValidOrders, currency, SHANGHAI);
    }

    /** The same, with window starts written in another business time zone. */
    public static Map<String, Double> orders(Collection<OrderEvent> uniqueValidOrders, String currency, ZoneId zone) {
        return ordersBy(uniqueValidOrders, currency, (name, labels, time) -> key(name, labels, time, zone));
    }

    /** Where a value goes: its key from the metric name, labels and event time. */
    private interface Key {
        String of(String name, Map<String, String> labels, Instant eventTime);
    }

    private static Map<String, Double> ordersBy(Collection<OrderEvent> uniqueValidOrders, String currency, Key key) {
        Map<String, BigDecimal> gmv = new LinkedHashMap<>();
        Map<String, Double> values = new TreeMap<>();
        for (OrderEvent o : uniqueValidOrders) {
            boolean created = o.status.equals("created");
            boolean paid = o.status.equals("paid");
            if (!created && !paid) {
                continue;
            }
            Map<String, String> channel = Map.of("channel", o.channel);
            values.merge(key.of("orders_created", channel, o.eventTime), created ? 1.0 : 0.0, Double::sum);
            values.merge(key.of("orders_paid", channel, o.eventTime), paid ? 1.0 : 0.0, Double::sum);
            gmv.merge(key.of("gmv", Map.of("channel", o.channel, "currency", currency), o.eventTime),
                    paid ? o.amount : BigDecimal.ZERO, BigDecimal::add);
        }
        gmv.forEach((k, v) -> values.put(k, v.doubleValue()));
        return values;
    }

    public static String key(String name, Map<String, String> labels, Instant eventTime) {
        return key(name, labels, eventTime, SHANGHAI);
    }

    public static String key(String name, Map<String, String> labels, Instant eventTime, ZoneId zone) {
        Instant minute = eventTime.truncatedTo(ChronoUnit.MINUTES);
        return name + "/minute" + new TreeMap<>(labels) + "@"
                + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(minute.atZone(zone));
    }
}
