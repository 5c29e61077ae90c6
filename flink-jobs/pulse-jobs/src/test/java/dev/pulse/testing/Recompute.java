package dev.pulse.testing;

import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A straightforward batch recomputation of the metrics, written independently of the pipeline: plain loops over
 * de-duplicated valid events. Results are keyed like "page_views/minute{channel=..,platform=..}@start".
 */
public final class Recompute {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private Recompute() {}

    /** Every family's values over the same events, with the default conversion window (24 h). */
    public static Map<String, Double> all(Collection<ClickEvent> uniqueValidClicks,
                                          Collection<OrderEvent> uniqueValidOrders, String currency, ZoneId zone) {
        Map<String, Double> values = new TreeMap<>(pageViews(uniqueValidClicks, zone));
        values.putAll(users(uniqueValidClicks, zone));
        values.putAll(orders(uniqueValidOrders, currency, zone));
        values.putAll(ordersPerDay(uniqueValidOrders, currency, zone));
        values.putAll(funnel(uniqueValidClicks, uniqueValidOrders, zone, Duration.ofHours(24)));
        values.putAll(visitToOrder(values));
        values.putAll(new RiskRecompute(uniqueValidClicks, uniqueValidOrders).alertCounts(zone));
        return values;
    }

    /** The same, and the ads family's values over the ad events. */
    public static Map<String, Double> all(Collection<ClickEvent> uniqueValidClicks,
                                          Collection<OrderEvent> uniqueValidOrders,
                                          Collection<AdEvent> uniqueValidAds, String currency, ZoneId zone) {
        Map<String, Double> values = all(uniqueValidClicks, uniqueValidOrders, currency, zone);
        values.putAll(ads(uniqueValidAds, currency, zone));
        values.putAll(attribution(uniqueValidAds, uniqueValidOrders, currency, zone, Duration.ofHours(24),
                Duration.ofDays(30)));
        return values;
    }

    /**
     * Ad attribution per campaign and business day of payment, order by order: an order's first payment (its
     * earliest paid event) is a conversion of the campaign of the latest click c with c <= payment <= c + window,
     * among the clicks of its user and of the anonymous visitor of a device it was paid from at that time (ties
     * in time: the greater campaign id); credited with its net (paid less refunded, at least 0; 0 if cancelled)
     * and, when the user paid no other order earlier within the lookback, as a first-time buyer. A campaign with
     * clicks, spend or conversions on a day reports conversions, attributed GMV and first-time buyers; CVR over
     * its clicks, ROAS over its spend, CAC over its first-time buyers when those are not zero.
     */
    public static Map<String, Double> attribution(Collection<AdEvent> uniqueValidAds,
                                                  Collection<OrderEvent> uniqueValidOrders, String currency,
                                                  ZoneId zone, Duration window, Duration lookback) {
        List<AdEvent> clicks = new ArrayList<>();
        Map<String, long[]> clicksAndMicros = new TreeMap<>(); // per campaign|day
        for (AdEvent a : countedAds(uniqueValidAds)) {
            boolean click = a.kind.equals("click");
            if (click) {
                clicks.add(a);
            }
            long[] cm = clicksAndMicros.computeIfAbsent(a.campaignId + "|" + localDay(a.eventTime, zone),
                    k -> new long[2]);
            cm[0] += click ? 1 : 0;
            cm[1] += a.cost.movePointRight(6).longValueExact();
        }
        Map<String, List<OrderEvent>> byOrder = new HashMap<>();
        for (OrderEvent o : uniqueValidOrders) {
            byOrder.computeIfAbsent(o.orderId, k -> new ArrayList<>()).add(o);
        }
        Map<String, List<Instant>> paymentsOfUser = new HashMap<>();
        Map<String, Instant> firstPayment = new HashMap<>();
        byOrder.forEach((id, events) -> events.stream().filter(e -> e.status.equals("paid"))
                .map(e -> e.eventTime).min(Comparator.naturalOrder()).ifPresent(t -> {
                    firstPayment.put(id, t);
                    paymentsOfUser.computeIfAbsent(events.get(0).userId, k -> new ArrayList<>()).add(t);
                }));
        Map<String, long[]> attributed = new TreeMap<>(); // per campaign|day: conversions, cents, buyers
        firstPayment.forEach((id, paidAt) -> {
            List<OrderEvent> events = byOrder.get(id);
            String user = events.get(0).userId;
            Set<String> visitors = new HashSet<>(Set.of("u:" + user));
            long paid = 0;
            long refunded = 0;
            boolean cancelled = false;
            for (OrderEvent e : events) {
                switch (e.status) {
                    case "paid" -> {
                        paid += e.amount.movePointRight(2).longValueExact();
                        if (e.eventTime.equals(paidAt)) {
                            visitors.add("d:" + e.deviceId);
                        }
                    }
                    case "refunded" -> refunded += e.amount.movePointRight(2).longValueExact();
                    case "cancelled" -> cancelled = true;
                    default -> { }
                }
            }
            AdEvent last = null;
            for (AdEvent c : clicks) {
                String visitor = visitorOf(c);
                boolean inWindow = !c.eventTime.isAfter(paidAt)
                        && !c.eventTime.plus(window).isBefore(paidAt);
                if (visitors.contains(visitor) && inWindow && (last == null || c.eventTime.isAfter(last.eventTime)
                        || (c.eventTime.equals(last.eventTime) && c.campaignId.compareTo(last.campaignId) > 0))) {
                    last = c;
                }
            }
            if (last == null) {
                return;
            }
            boolean firstTime = paymentsOfUser.get(user).stream()
                    .noneMatch(t -> t.isBefore(paidAt) && !t.plus(lookback).isBefore(paidAt));
            long[] sums = attributed.computeIfAbsent(last.campaignId + "|" + localDay(paidAt, zone),
                    k -> new long[3]);
            sums[0]++;
            sums[1] += cancelled ? 0 : Math.max(0, paid - refunded);
            sums[2] += firstTime ? 1 : 0;
        });
        Set<String> campaignDays = new TreeSet<>(clicksAndMicros.keySet());
        campaignDays.addAll(attributed.keySet());
        Map<String, Double> values = new TreeMap<>();
        for (String cd : campaignDays) {
            long[] cm = clicksAndMicros.getOrDefault(cd, new long[2]);
            long[] a = attributed.getOrDefault(cd, new long[3]);
            if (cm[0] == 0 && cm[1] == 0 && a[0] == 0) {
                continue;
            }
            int bar = cd.lastIndexOf('|');
            String campaign = cd.substring(0, bar);
            Instant day = LocalDate.parse(cd.substring(bar + 1)).atStartOfDay(zone).toInstant();
            Map<String, String> labels = Map.of("campaign", campaign);
            Map<String, String> money = Map.of("campaign", campaign, "currency", currency);
            values.put(dayKey("ad_conversions", labels, day, zone), (double) a[0]);
            values.put(dayKey("ad_attributed_gmv", money, day, zone),
                    BigDecimal.valueOf(a[1], 2).doubleValue());
            values.put(dayKey("ad_first_time_buyers", labels, day, zone), (double) a[2]);
            if (cm[0] > 0) {
                values.put(dayKey("ad_cvr", labels, day, zone), (double) a[0] / cm[0]);
            }
            if (cm[1] > 0) {
                values.put(dayKey("ad_roas", labels, day, zone), BigDecimal.valueOf(a[1], 2)
                        .divide(BigDecimal.valueOf(cm[1], 6), new java.math.MathContext(40)).doubleValue());
            }
            if (a[2] > 0) {
                values.put(dayKey("ad_cac", money, day, zone), BigDecimal.valueOf(cm[1], 6)
                        .divide(BigDecimal.valueOf(a[2]), new java.math.MathContext(40)).doubleValue());
            }
        }
        return values;
    }

    /** The ad events that count: every click, and the earliest copy of each visitor's impression id. */
    private static List<AdEvent> countedAds(Collection<AdEvent> uniqueValidAds) {
        Map<String, AdEvent> firstImpression = new HashMap<>();
        List<AdEvent> counted = new ArrayList<>();
        for (AdEvent a : uniqueValidAds) {
            if (a.kind.equals("click")) {
                counted.add(a);
            } else {
                // an impression id is one showing to one viewer: once per visitor
                String shown = visitorOf(a) + " " + a.impressionId;
                AdEvent seen = firstImpression.get(shown);
                if (seen == null || a.eventTime.isBefore(seen.eventTime)) {
                    firstImpression.put(shown, a);
                }
            }
        }
        counted.addAll(firstImpression.values());
        return counted;
    }

    private static String visitorOf(AdEvent a) {
        return a.userId != null ? "u:" + a.userId : "d:" + a.deviceId;
    }

    private static LocalDate localDay(Instant t, ZoneId zone) {
        return t.atZone(zone).toLocalDate();
    }

    /**
     * The ads family, straight from its definitions, per minute and per business day: an impression id counts
     * once per visitor (its earliest copy, with that copy's labels, time and cost), every click counts; for each
     * campaign, creative and placement with any counted impression or click in the window, impressions, clicks and spend
     * (the costs); per campaign CTR (clicks / impressions) and CPM (spend / impressions x 1000) when it had
     * impressions, CPC (spend / clicks) when it had clicks.
     */
    public static Map<String, Double> ads(Collection<AdEvent> uniqueValidAds, String currency, ZoneId zone) {
        List<AdEvent> counted = countedAds(uniqueValidAds);
        Map<String, Double> values = new TreeMap<>();
        for (Key key : List.<Key>of((n, l, t) -> key(n, l, t, zone), (n, l, t) -> dayKey(n, l, t, zone))) {
            Map<String, BigDecimal> sums = new TreeMap<>();
            Map<String, long[]> byCampaign = new TreeMap<>(); // impressions, clicks
            Map<String, BigDecimal> campaignSpend = new TreeMap<>();
            Map<String, AdEvent> campaignExample = new HashMap<>();
            for (AdEvent a : counted) {
                boolean click = a.kind.equals("click");
                Map<String, String> labels = Map.of("campaign", a.campaignId, "creative", a.creativeId,
                        "placement", a.placement);
                Map<String, String> money = Map.of("campaign", a.campaignId, "creative", a.creativeId,
                        "placement", a.placement, "currency", currency);
                sums.merge(key.of("ad_impressions", labels, a.eventTime), click ? BigDecimal.ZERO : BigDecimal.ONE,
                        BigDecimal::add);
                sums.merge(key.of("ad_clicks", labels, a.eventTime), click ? BigDecimal.ONE : BigDecimal.ZERO,
                        BigDecimal::add);
                sums.merge(key.of("ad_spend", money, a.eventTime), a.cost, BigDecimal::add);
                String campaign = key.of("", Map.of("campaign", a.campaignId), a.eventTime);
                byCampaign.computeIfAbsent(campaign, x -> new long[2])[click ? 1 : 0]++;
                campaignSpend.merge(campaign, a.cost, BigDecimal::add);
                campaignExample.putIfAbsent(campaign, a);
            }
            sums.forEach((k, v) -> values.put(k, v.doubleValue()));
            byCampaign.forEach((k, counts) -> {
                AdEvent a = campaignExample.get(k);
                BigDecimal spent = campaignSpend.get(k);
                Map<String, String> money = Map.of("campaign", a.campaignId, "currency", currency);
                if (counts[0] > 0) {
                    values.put(key.of("ad_ctr", Map.of("campaign", a.campaignId), a.eventTime),
                            (double) counts[1] / counts[0]);
                    values.put(key.of("ad_cpm", money, a.eventTime), spent.multiply(BigDecimal.valueOf(1000))
                            .divide(BigDecimal.valueOf(counts[0]), new java.math.MathContext(40)).doubleValue());
                }
                if (counts[1] > 0) {
                    values.put(key.of("ad_cpc", money, a.eventTime), spent.divide(BigDecimal.valueOf(counts[1]),
                            new java.math.MathContext(40)).doubleValue());
                }
            });
        }
        return values;
    }

    /** Orders and GMV per business day in the zone, keyed like {@link #orders} with period "day". */
    public static Map<String, Double> ordersPerDay(Collection<OrderEvent> uniqueValidOrders, String currency,
                                                   ZoneId zone) {
        return ordersBy(uniqueValidOrders, currency, (name, labels, time) -> dayKey(name, labels, time, zone), true,
                zone);
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

    /** The orders family's values for every minute (see {@link #ordersBy}). */
    public static Map<String, Double> orders(Collection<OrderEvent> uniqueValidOrders, String currency) {
        return orders(uniqueValidOrders, currency, SHANGHAI);
    }

    /** The same, with window starts written in another business time zone. */
    public static Map<String, Double> orders(Collection<OrderEvent> uniqueValidOrders, String currency, ZoneId zone) {
        return ordersBy(uniqueValidOrders, currency, (name, labels, time) -> key(name, labels, time, zone), false,
                zone);
    }

    /** Where a value goes: its key from the metric name, labels and event time. */
    private interface Key {
        String of(String name, Map<String, String> labels, Instant eventTime);
    }

    /**
     * Orders and money, straight from the catalog, for windows of one kind (the key decides): for each channel with
     * any order event, orders created and paid, GMV, failed payments, cancellations, refunds, money refunded, and
     * the money given back by cancelling paid orders (paid less refunded, at the first cancellation); over all
     * channels AOV, payment success, cancellation and refund rates where their denominators are not zero; net GMV
     * per channel and window of each paid order's first payment (paid less refunded, at least zero; zero once
     * cancelled). Per day also paying users and the repurchase rate over the 30 days ending the day.
     */
    private static Map<String, Double> ordersBy(Collection<OrderEvent> uniqueValidOrders, String currency, Key key,
                                                boolean perDay, ZoneId zone) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        Set<String> totals = new TreeSet<>();
        Map<String, List<OrderEvent>> byOrder = new HashMap<>();
        for (OrderEvent o : uniqueValidOrders) {
            Map<String, String> channel = Map.of("channel", o.channel);
            Map<String, String> money = Map.of("channel", o.channel, "currency", currency);
            BigDecimal one = BigDecimal.ONE;
            BigDecimal zero = BigDecimal.ZERO;
            sums.merge(key.of("orders_created", channel, o.eventTime), o.status.equals("created") ? one : zero,
                    BigDecimal::add);
            sums.merge(key.of("orders_paid", channel, o.eventTime), o.status.equals("paid") ? one : zero,
                    BigDecimal::add);
            sums.merge(key.of("gmv", money, o.eventTime), o.status.equals("paid") ? o.amount : zero, BigDecimal::add);
            sums.merge(key.of("payments_failed", channel, o.eventTime), o.status.equals("payment_failed") ? one : zero,
                    BigDecimal::add);
            sums.merge(key.of("orders_cancelled", channel, o.eventTime), o.status.equals("cancelled") ? one : zero,
                    BigDecimal::add);
            sums.merge(key.of("refunds", channel, o.eventTime), o.status.equals("refunded") ? one : zero,
                    BigDecimal::add);
            sums.merge(key.of("refunded_amount", money, o.eventTime), o.status.equals("refunded") ? o.amount : zero,
                    BigDecimal::add);
            sums.merge(key.of("cancelled_paid_amount", money, o.eventTime), zero, BigDecimal::add);
            totals.add(key.of("", Map.of(), o.eventTime));
            byOrder.computeIfAbsent(o.orderId, id -> new ArrayList<>()).add(o);
        }
        Map<String, BigDecimal> net = new TreeMap<>();
        Map<String, TreeMap<LocalDate, Integer>> paidOrdersByUserDay = new HashMap<>();
        for (List<OrderEvent> events : byOrder.values()) {
            events.sort(Comparator.comparing((OrderEvent e) -> e.eventTime));
            OrderEvent firstPaid = events.stream().filter(e -> e.status.equals("paid")).findFirst().orElse(null);
            OrderEvent firstCancel = events.stream().filter(e -> e.status.equals("cancelled")).findFirst()
                    .orElse(null);
            if (firstPaid == null) {
                continue;
            }
            BigDecimal paid = sumOf(events, "paid");
            BigDecimal kept = paid.subtract(sumOf(events, "refunded")).max(BigDecimal.ZERO);
            net.merge(key.of("net_gmv", Map.of("channel", firstPaid.channel, "currency", currency),
                    firstPaid.eventTime), firstCancel == null ? kept : BigDecimal.ZERO, BigDecimal::add);
            if (firstCancel != null) {
                sums.merge(key.of("cancelled_paid_amount", Map.of("channel", firstCancel.channel, "currency", currency),
                        firstCancel.eventTime), kept, BigDecimal::add);
            }
            paidOrdersByUserDay.computeIfAbsent(firstPaid.userId, u -> new TreeMap<>())
                    .merge(firstPaid.eventTime.atZone(zone).toLocalDate(), 1, Integer::sum);
        }
        Map<String, Double> values = new TreeMap<>();
        sums.forEach((k, v) -> values.put(k, v.doubleValue()));
        net.forEach((k, v) -> values.put(k, v.doubleValue()));
        for (String total : totals) {
            String window = total.substring(total.indexOf('@')); // "@start"
            String kind = total.substring(1, total.indexOf('{')); // "minute" or "day"
            double created = total(values, "orders_created", window);
            double paid = total(values, "orders_paid", window);
            double failed = total(values, "payments_failed", window);
            String prefix = "/" + kind;
            if (paid > 0) {
                BigDecimal exactGmv = sums.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("gmv/") && e.getKey().endsWith(window))
                        .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
                values.put("aov" + prefix + "{currency=" + currency + "}" + window,
                        exactGmv.divide(BigDecimal.valueOf(paid), new java.math.MathContext(40)).doubleValue());
            }
            ratio(values, "payment_success" + prefix + "{}" + window, paid, paid + failed);
            ratio(values, "cancellation_rate" + prefix + "{}" + window, total(values, "orders_cancelled", window),
                    created);
            ratio(values, "refund_rate" + prefix + "{}" + window, total(values, "refunds", window), paid);
            if (perDay) {
                LocalDate day = java.time.OffsetDateTime.parse(window.substring(1)).toLocalDate();
                long paying = paidOrdersByUserDay.values().stream().filter(d -> d.containsKey(day)).count();
                values.put("paying_users/day{}" + window, (double) paying);
                long buyers = 0;
                long repeat = 0;
                for (TreeMap<LocalDate, Integer> days : paidOrdersByUserDay.values()) {
                    int inWindow = days.subMap(day.minusDays(29), true, day, true).values().stream()
                            .mapToInt(Integer::intValue).sum();
                    buyers += inWindow >= 1 ? 1 : 0;
                    repeat += inWindow >= 2 ? 1 : 0;
                }
                ratio(values, "repurchase_rate/day{}" + window, repeat, buyers);
            }
        }
        return values;
    }

    private static BigDecimal sumOf(List<OrderEvent> events, String status) {
        return events.stream().filter(e -> e.status.equals(status)).map(e -> e.amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The sum of a metric over every channel in one window. */
    private static double total(Map<String, Double> values, String name, String window) {
        return values.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "/") && e.getKey().endsWith(window))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static void ratio(Map<String, Double> values, String key, double part, double whole) {
        if (whole > 0) {
            values.put(key, part / whole);
        }
    }

    /**
     * The ordered funnel per business day, by brute force: a visitor (the user, or the device of an anonymous
     * click; an order belongs to its user and to its device) reaches step k on day D when, from one of its product
     * views on D, walking its events in time order (at equal times, earlier steps first) and taking each next step
     * as soon as it comes, step k comes within the window of that view. By the channel of that view, and in total;
     * step and overall conversion; a day with no product view reports nothing.
     */
    public static Map<String, Double> funnel(Collection<ClickEvent> uniqueValidClicks,
                                             Collection<OrderEvent> uniqueValidOrders, ZoneId zone, Duration window) {
        List<String> steps = List.of("product_view", "add_to_cart", "order_created", "order_paid");
        record Step(long time, int step, String channel) {}
        Map<String, List<Step>> byVisitor = new HashMap<>();
        for (ClickEvent c : uniqueValidClicks) {
            int step = steps.indexOf(c.eventType);
            if (step >= 0) {
                String visitor = c.userId == null ? "device " + c.deviceId : "user " + c.userId;
                byVisitor.computeIfAbsent(visitor, v -> new ArrayList<>())
                        .add(new Step(c.eventTime.toEpochMilli(), step, c.channel));
            }
        }
        for (OrderEvent o : uniqueValidOrders) {
            int step = o.status.equals("created") ? 2 : o.status.equals("paid") ? 3 : -1;
            if (step >= 0) {
                for (String visitor : List.of("user " + o.userId, "device " + o.deviceId)) {
                    byVisitor.computeIfAbsent(visitor, v -> new ArrayList<>())
                            .add(new Step(o.eventTime.toEpochMilli(), step, null));
                }
            }
        }
        // day -> lane (channel, or "" for the total) -> step -> visitors
        Map<LocalDate, Map<String, List<Set<String>>>> reached = new TreeMap<>();
        byVisitor.forEach((visitor, events) -> {
            events.sort(Comparator.comparingLong(Step::time).thenComparingInt(Step::step));
            for (int i = 0; i < events.size(); i++) {
                Step first = events.get(i);
                if (first.step() != 0) {
                    continue;
                }
                int depth = 0;
                for (int j = i + 1; j < events.size() && depth < 3; j++) {
                    Step next = events.get(j);
                    if (next.time() - first.time() > window.toMillis()) {
                        break;
                    }
                    if (next.step() == depth + 1) {
                        depth++;
                    }
                }
                LocalDate day = Instant.ofEpochMilli(first.time()).atZone(zone).toLocalDate();
                for (String lane : List.of(first.channel(), "")) {
                    List<Set<String>> bySteps = reached.computeIfAbsent(day, d -> new TreeMap<>())
                            .computeIfAbsent(lane, l -> List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(),
                                    new HashSet<>()));
                    for (int k = 0; k <= depth; k++) {
                        bySteps.get(k).add(visitor);
                    }
                }
            }
        });
        Map<String, Double> values = new TreeMap<>();
        reached.forEach((day, lanes) -> {
            Instant at = day.atStartOfDay(zone).toInstant();
            lanes.forEach((lane, bySteps) -> {
                for (int k = 0; k < 4; k++) {
                    Map<String, String> labels = lane.isEmpty() ? Map.of("step", steps.get(k))
                            : Map.of("step", steps.get(k), "channel", lane);
                    String suffix = lane.isEmpty() ? "_total" : "";
                    double at_k = bySteps.get(k).size();
                    values.put(dayKey("funnel_users" + suffix, labels, at, zone), at_k);
                    if (k > 0 && !bySteps.get(k - 1).isEmpty()) {
                        values.put(dayKey("funnel_step_conversion" + suffix, labels, at, zone),
                                at_k / bySteps.get(k - 1).size());
                    }
                }
                values.put(dayKey("funnel_conversion" + suffix(lane), lane.isEmpty() ? Map.of()
                        : Map.of("channel", lane), at, zone), (double) bySteps.get(3).size() / bySteps.get(0).size());
            });
        });
        return values;
    }

    private static String suffix(String lane) {
        return lane.isEmpty() ? "_total" : "";
    }

    /** Visit-to-order conversion: paying users / DAU, for each day with both. */
    public static Map<String, Double> visitToOrder(Map<String, Double> values) {
        Map<String, Double> ratios = new TreeMap<>();
        values.forEach((k, paying) -> {
            if (k.startsWith("paying_users/day{}@")) {
                Double dau = values.get(k.replace("paying_users/", "dau_total/"));
                if (dau != null && dau > 0) {
                    ratios.put(k.replace("paying_users/", "visit_to_order/"), paying / dau);
                }
            }
        });
        return ratios;
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
