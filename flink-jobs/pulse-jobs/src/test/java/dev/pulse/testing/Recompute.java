package dev.pulse.testing;

import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;
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
     * The users family, straight from its definitions: UV per minute (by channel and platform, and in total); per
     * business day with any activity DAU (by platform, and in total), new users (distinct users with a register
     * event), MAU (distinct visitors active on any of the 30 days ending that day), stickiness (DAU / MAU), the share
     * of DAU by channel, and D1 / D7 retention (of those who registered the day / 7 days before, the share active
     * that day) when that cohort is not empty; sessions (a visitor's events with gaps under 30 minutes) per day of
     * their last event, bounce rate (sessions with exactly one page view) and average length in seconds. A visitor
     * is the user, or the device when there is no user.
     */
    public static Map<String, Double> users(Collection<ClickEvent> uniqueValidClicks, ZoneId zone) {
        Map<String, Set<String>> distinct = new TreeMap<>();
        Map<String, TreeSet<LocalDate>> activeDays = new HashMap<>();
        Map<LocalDate, Set<String>> active = new TreeMap<>();
        Map<LocalDate, Set<String>> registered = new TreeMap<>();
        Map<String, List<ClickEvent>> byVisitor = new HashMap<>();
        for (ClickEvent e : uniqueValidClicks) {
            String visitor = e.userId == null ? "device " + e.deviceId : "user " + e.userId;
            LocalDate day = e.eventTime.atZone(zone).toLocalDate();
            distinct.computeIfAbsent(key("uv", Map.of("channel", e.channel, "platform", e.platform), e.eventTime, zone),
                    k -> new HashSet<>()).add(visitor);
            distinct.computeIfAbsent(key("uv_total", Map.of(), e.eventTime, zone), k -> new HashSet<>()).add(visitor);
            distinct.computeIfAbsent(dayKey("dau", Map.of("platform", e.platform), e.eventTime, zone),
                    k -> new HashSet<>()).add(visitor);
            distinct.computeIfAbsent(dayKey("uv_share", Map.of("channel", e.channel), e.eventTime, zone),
                    k -> new HashSet<>()).add(visitor);
            activeDays.computeIfAbsent(visitor, v -> new TreeSet<>()).add(day);
            active.computeIfAbsent(day, d -> new HashSet<>()).add(visitor);
            if (e.eventType.equals("register")) {
                registered.computeIfAbsent(day, d -> new HashSet<>()).add(visitor);
            }
            byVisitor.computeIfAbsent(visitor, v -> new ArrayList<>()).add(e);
        }
        Map<String, Double> values = new TreeMap<>();
        distinct.forEach((k, visitors) -> values.put(k, (double) visitors.size()));
        active.forEach((day, visitors) -> {
            Instant at = day.atStartOfDay(zone).toInstant();
            double dau = visitors.size();
            values.put(dayKey("dau_total", Map.of(), at, zone), dau);
            values.put(dayKey("new_users", Map.of(), at, zone),
                    (double) registered.getOrDefault(day, Set.of()).size());
            long mau = activeDays.values().stream()
                    .filter(days -> !days.subSet(day.minusDays(29), true, day, true).isEmpty()).count();
            values.put(dayKey("mau", Map.of(), at, zone), (double) mau);
            values.put(dayKey("stickiness", Map.of(), at, zone), dau / mau);
            for (int after : new int[] {1, 7}) {
                Set<String> cohort = registered.getOrDefault(day.minusDays(after), Set.of());
                if (!cohort.isEmpty()) {
                    long back = cohort.stream().filter(visitors::contains).count();
                    values.put(dayKey("retention_d" + after, Map.of(), at, zone), (double) back / cohort.size());
                }
            }
        });
        values.replaceAll((k, v) -> k.startsWith("uv_share/")
                ? v / values.get(k.replaceFirst("^uv_share/day\\{channel=[^}]*}", "dau_total/day{}")) : v);
        values.putAll(sessions(byVisitor.values(), zone));
        return values;
    }

    /** Sessions, bounce rate and average length per business day of the sessions' last event. */
    private static Map<String, Double> sessions(Collection<List<ClickEvent>> eventsByVisitor, ZoneId zone) {
        Map<LocalDate, long[]> perDay = new TreeMap<>(); // sessions, bounces, total milliseconds
        for (List<ClickEvent> events : eventsByVisitor) {
            List<ClickEvent> sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparing(e -> e.eventTime));
            int from = 0;
            for (int i = 1; i <= sorted.size(); i++) {
                if (i == sorted.size() || Duration.between(sorted.get(i - 1).eventTime, sorted.get(i).eventTime)
                        .compareTo(Duration.ofMinutes(30)) >= 0) {
                    List<ClickEvent> session = sorted.subList(from, i);
                    Instant first = session.get(0).eventTime;
                    Instant last = session.get(session.size() - 1).eventTime;
                    long pageViews = session.stream().filter(ClickEvent::countsAsPageView).count();
                    long[] sums = perDay.computeIfAbsent(last.atZone(zone).toLocalDate(), d -> new long[3]);
                    sums[0]++;
                    sums[1] += pageViews == 1 ? 1 : 0;
                    sums[2] += Duration.between(first, last).toMillis();
                    from = i;
                }
            }
        }
        Map<String, Double> values = new TreeMap<>();
        perDay.forEach((day, sums) -> {
            Instant at = day.atStartOfDay(zone).toInstant();
            values.put(dayKey("sessions", Map.of(), at, zone), (double) sums[0]);
            values.put(dayKey("bounce_rate", Map.of(), at, zone), (double) sums[1] / sums[0]);
            values.put(dayKey("session_length", Map.of(), at, zone), sums[2] / 1000.0 / sums[0]);
        });
        return values;
    }

    /** PV per minute and per business day by channel and platform, and each channel's share of PV in both. */
    public static Map<String, Double> pageViews(Collection<ClickEvent> uniqueValidClicks) {
        return pageViews(uniqueValidClicks, SHANGHAI);
    }

    public static Map<String, Double> pageViews(Collection<ClickEvent> uniqueValidClicks, ZoneId zone) {
        Map<String, Double> values = new TreeMap<>();
        Map<String, Double> totals = new HashMap<>();
        for (ClickEvent e : uniqueValidClicks) {
            if (e.eventType.equals("page_view") || e.eventType.equals("product_view")) {
                Map<String, String> labels = new TreeMap<>(Map.of("channel", e.channel, "platform", e.platform));
                values.merge(key("page_views", labels, e.eventTime, zone), 1.0, Double::sum);
                values.merge(dayKey("page_views", labels, e.eventTime, zone), 1.0, Double::sum);
                values.merge(key("pv_share", Map.of("channel", e.channel), e.eventTime, zone), 1.0, Double::sum);
                values.merge(dayKey("pv_share", Map.of("channel", e.channel), e.eventTime, zone), 1.0, Double::sum);
                totals.merge(key("pv_share", Map.of(), e.eventTime, zone), 1.0, Double::sum);
                totals.merge(dayKey("pv_share", Map.of(), e.eventTime, zone), 1.0, Double::sum);
            }
        }
        values.replaceAll((k, v) -> k.startsWith("pv_share")
                ? v / totals.get(k.replaceFirst("\\{channel=[^}]*}", "{}")) : v);
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
