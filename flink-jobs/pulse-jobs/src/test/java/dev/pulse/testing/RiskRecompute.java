package dev.pulse.testing;

import static dev.pulse.risk.RiskRule.AMOUNT_OUTLIER;
import static dev.pulse.risk.RiskRule.BURST;
import static dev.pulse.risk.RiskRule.CANCEL_CHURN;
import static dev.pulse.risk.RiskRule.COUPON_ABUSE;
import static dev.pulse.risk.RiskRule.MULTI_ADDRESS;
import static dev.pulse.risk.RiskRule.PAYMENT_FAILURE_STREAK;
import static dev.pulse.risk.RiskRule.SHARED_DEVICE;
import static dev.pulse.risk.RiskRule.SHARED_IP;

import dev.pulse.generator.GeneratedEvent;
import dev.pulse.json.Json;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.risk.RiskRule;
import dev.pulse.risk.RuleSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The risk rules written plainly (batch, no engine) with their default settings, over de-duplicated valid events
 * taken in event-time order: each event is judged against the events of its key before it, and a rule that fired
 * on a key stays quiet on it for its suppression. What fired, on which raw key (user, device or ip), when.
 */
public final class RiskRecompute {
    /** One firing: the rule, the raw key it fired on, the event time of the event that completed it. */
    public record Firing(RiskRule rule, String key, Instant at) {}

    private final List<OrderEvent> orders;
    private final Map<String, Instant> registered = new HashMap<>();
    private final List<Firing> firings = new ArrayList<>();

    public RiskRecompute(Collection<ClickEvent> uniqueValidClicks, Collection<OrderEvent> uniqueValidOrders) {
        orders = uniqueValidOrders.stream().sorted(Comparator.comparing((OrderEvent o) -> o.eventTime)).toList();
        for (ClickEvent c : uniqueValidClicks) {
            if ("register".equals(c.eventType) && c.userId != null) {
                registered.merge(c.userId, c.eventTime, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        counting(MULTI_ADDRESS, created(), o -> o.userId, o -> o.addressHash, o -> o.addressHash != null);
        counting(SHARED_DEVICE, created(), o -> o.deviceId, o -> o.userId, o -> o.deviceId != null);
        counting(SHARED_IP, created(), o -> o.ip, o -> o.userId, o -> o.ip != null);
        counting(BURST, created(), o -> o.userId, o -> o.orderId, o -> true);
        counting(CANCEL_CHURN, freshUnpaidCancellations(), o -> o.userId, o -> o.orderId, o -> true);
        counting(PAYMENT_FAILURE_STREAK, status(OrderEvent.PAYMENT_FAILED), o -> o.userId, o -> o.eventId, o -> true);
        amountOutliers();
        couponAbuse();
        firings.sort(Comparator.comparing(Firing::at).thenComparing(f -> f.rule().code()).thenComparing(Firing::key));
    }

    /** Over generated lines: the well-formed ones, once per event id. */
    public static RiskRecompute of(List<GeneratedEvent> events) {
        Map<String, ClickEvent> clicks = new LinkedHashMap<>();
        Map<String, OrderEvent> orders = new LinkedHashMap<>();
        for (GeneratedEvent e : events) {
            if (e.label() != null && e.label().startsWith("malformed")) {
                continue;
            }
            if (e.stream() == Stream.CLICK) {
                clicks.putIfAbsent(e.eventId(), Json.read(e.json(), ClickEvent.class));
            } else if (e.stream() == Stream.ORDER) {
                orders.putIfAbsent(e.eventId(), Json.read(e.json(), OrderEvent.class));
            }
        }
        return new RiskRecompute(clicks.values(), orders.values());
    }

    public List<Firing> firings() {
        return firings;
    }

    /** The raw keys each rule fired on, by rule code (every rule present). */
    public Map<String, Set<String>> keysByRule() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (RiskRule rule : RiskRule.values()) {
            out.put(rule.code(), new HashSet<>());
        }
        firings.forEach(f -> out.get(f.rule().code()).add(f.key()));
        return out;
    }

    /** The engine's alert counts per rule and severity: per minute and business day of the completing event. */
    public Map<String, Double> alertCounts(ZoneId zone) {
        Map<String, Double> values = new TreeMap<>();
        for (Firing f : firings) {
            Map<String, String> labels = Map.of("rule", f.rule().code(),
                    "severity", f.rule().defaults().severity().code());
            values.merge(Recompute.key("risk_alerts", labels, f.at(), zone), 1.0, Double::sum);
            values.merge(Recompute.dayKey("risk_alerts", labels, f.at(), zone), 1.0, Double::sum);
        }
        return values;
    }

    private List<OrderEvent> created() {
        return status(OrderEvent.CREATED);
    }

    private List<OrderEvent> status(String status) {
        return orders.stream().filter(o -> o.status.equals(status)).toList();
    }

    /** Cancellations of orders created at most the window before and not paid before. */
    private List<OrderEvent> freshUnpaidCancellations() {
        Duration window = CANCEL_CHURN.defaults().window();
        Map<String, Instant> createdAt = new HashMap<>();
        Set<String> paidOrCancelled = new HashSet<>();
        List<OrderEvent> out = new ArrayList<>();
        for (OrderEvent o : orders) {
            switch (o.status) {
                case OrderEvent.CREATED -> createdAt.putIfAbsent(o.orderId, o.eventTime);
                case OrderEvent.PAID -> paidOrCancelled.add(o.orderId);
                case OrderEvent.CANCELLED -> {
                    Instant created = createdAt.get(o.orderId);
                    if (created != null && paidOrCancelled.add(o.orderId)
                            && Duration.between(created, o.eventTime).compareTo(window) <= 0) {
                        out.add(o);
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    /** At each event, the distinct values among its key's events in the window ending at it. */
    private void counting(RiskRule rule, List<OrderEvent> rows, Function<OrderEvent, String> key,
                          Function<OrderEvent, Object> distinct, Predicate<OrderEvent> counts) {
        RuleSettings s = rule.defaults();
        Map<String, List<OrderEvent>> byKey = new HashMap<>();
        rows.stream().filter(counts).forEach(o -> byKey.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o));
        byKey.forEach((k, list) -> {
            Instant last = null;
            for (int i = 0; i < list.size(); i++) {
                Instant t = list.get(i).eventTime;
                Set<Object> values = new HashSet<>();
                for (int j = i; j >= 0 && !list.get(j).eventTime.isBefore(t.minus(s.window())); j--) {
                    values.add(distinct.apply(list.get(j)));
                }
                if (values.size() >= s.count() && quiet(last, t, s)) {
                    firings.add(new Firing(rule, k, t));
                    last = t;
                }
            }
        });
    }

    private void amountOutliers() {
        RuleSettings s = AMOUNT_OUTLIER.defaults();
        Map<String, List<OrderEvent>> paid = new HashMap<>();
        Map<String, Instant> last = new HashMap<>();
        for (OrderEvent o : orders) {
            if (o.status.equals(OrderEvent.CREATED)) {
                List<BigDecimal> history = paid.getOrDefault(o.userId, List.of()).stream()
                        .filter(p -> p.eventTime.isBefore(o.eventTime)
                                && !p.eventTime.isBefore(o.eventTime.minus(s.window())))
                        .map(p -> p.amount).toList();
                BigDecimal sum = history.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                boolean overCap = o.amount.compareTo(s.cap()) > 0;
                boolean aboveHistory = !history.isEmpty() && o.amount.multiply(BigDecimal.valueOf(history.size()))
                        .compareTo(s.threshold().multiply(sum)) > 0;
                if ((overCap || aboveHistory) && quiet(last.get(o.userId), o.eventTime, s)) {
                    firings.add(new Firing(AMOUNT_OUTLIER, o.userId, o.eventTime));
                    last.put(o.userId, o.eventTime);
                }
            } else if (o.status.equals(OrderEvent.PAID)) {
                paid.computeIfAbsent(o.userId, u -> new ArrayList<>()).add(o);
            }
        }
    }

    private void couponAbuse() {
        RuleSettings s = COUPON_ABUSE.defaults();
        Map<String, Instant> last = new HashMap<>();
        for (OrderEvent o : status(OrderEvent.PAID)) {
            Instant since = registered.get(o.userId);
            BigDecimal discount = o.discount == null ? BigDecimal.ZERO : o.discount;
            BigDecimal full = o.amount.add(discount);
            boolean brandNew = since != null && !since.isAfter(o.eventTime)
                    && Duration.between(since, o.eventTime).compareTo(s.window()) <= 0;
            if (brandNew && full.signum() > 0 && discount.compareTo(full.multiply(s.threshold())) > 0
                    && quiet(last.get(o.userId), o.eventTime, s)) {
                firings.add(new Firing(COUPON_ABUSE, o.userId, o.eventTime));
                last.put(o.userId, o.eventTime);
            }
        }
    }

    private static boolean quiet(Instant lastFired, Instant t, RuleSettings s) {
        return lastFired == null || Duration.between(lastFired, t).compareTo(s.suppression()) >= 0;
    }
}
