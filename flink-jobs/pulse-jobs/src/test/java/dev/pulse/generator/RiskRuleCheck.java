package dev.pulse.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.Stream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The risk rules of the metrics catalog, written plainly over the generated lines (batch, no engine): which keys
 * (user, device or ip) each rule fires on. Thresholds as the catalog states them; the amount cap is 20,000 CNY
 * or 10x the user's own earlier paid orders.
 */
final class RiskRuleCheck {
    static final BigDecimal AMOUNT_CAP = new BigDecimal("20000");

    private record Order(Instant time, String orderId, String userId, String status, BigDecimal amount,
                         BigDecimal discount, String address, String device, String ip) {}

    private final List<Order> orders = new ArrayList<>();
    /** When each user registered (from register clicks). */
    private final Map<String, Instant> registered = new HashMap<>();

    RiskRuleCheck(List<GeneratedEvent> events) {
        for (GeneratedEvent e : events) {
            JsonNode n = Generated.json(e);
            if (e.stream() == Stream.CLICK && n.get("event_type").asText().equals("register")) {
                registered.putIfAbsent(n.get("user_id").asText(), TrafficKpis.time(n));
            } else if (e.stream() == Stream.ORDER) {
                orders.add(new Order(TrafficKpis.time(n), n.get("order_id").asText(), n.get("user_id").asText(),
                        n.get("status").asText(), n.get("amount").decimalValue(),
                        n.hasNonNull("discount") ? n.get("discount").decimalValue() : BigDecimal.ZERO,
                        TrafficKpis.text(n, "address_hash"), n.get("device_id").asText(), TrafficKpis.text(n, "ip")));
            }
        }
        orders.sort(Comparator.comparing(Order::time));
    }

    /** Keys each rule fires on, by rule code. */
    Map<String, Set<String>> firings() {
        Map<String, Set<String>> out = new TreeMap<>();
        out.put("multi_address", window(created(), Order::userId, Duration.ofMinutes(10), Order::address, 3));
        out.put("shared_device", window(created(), Order::device, Duration.ofHours(1), Order::userId, 5));
        out.put("shared_ip", window(created(), Order::ip, Duration.ofHours(1), Order::userId, 5));
        out.put("burst", window(created(), Order::userId, Duration.ofMinutes(1), Order::orderId, 5));
        out.put("cancel_churn",
                window(unpaidCancellations(), Order::userId, Duration.ofMinutes(30), Order::orderId, 3));
        out.put("payment_failure_streak", window(status("payment_failed"), Order::userId, Duration.ofMinutes(10),
                Order::time, 5));
        out.put("amount_outlier", amountOutliers());
        out.put("coupon_abuse", couponAbuse());
        return out;
    }

    private List<Order> created() {
        return status("created");
    }

    private List<Order> status(String status) {
        return orders.stream().filter(o -> o.status().equals(status)).toList();
    }

    /** Cancellations of orders that were never paid ("freshly created orders" held and released). */
    private List<Order> unpaidCancellations() {
        Set<String> paid = new HashSet<>();
        List<Order> out = new ArrayList<>();
        for (Order o : orders) {
            if (o.status().equals("paid")) {
                paid.add(o.orderId());
            } else if (o.status().equals("cancelled") && !paid.contains(o.orderId())) {
                out.add(o);
            }
        }
        return out;
    }

    /** Keys with at least {@code threshold} distinct values among their orders within some window. */
    private static Set<String> window(List<Order> rows, Function<Order, String> key, Duration within,
                                      Function<Order, Object> distinct, int threshold) {
        Map<String, List<Order>> byKey = new HashMap<>();
        rows.forEach(o -> byKey.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o));
        Set<String> fired = new HashSet<>();
        byKey.forEach((k, list) -> {
            for (int i = 0; i < list.size() && !fired.contains(k); i++) {
                Set<Object> values = new HashSet<>();
                for (int j = i; j < list.size(); j++) {
                    if (Duration.between(list.get(i).time(), list.get(j).time()).compareTo(within) > 0) {
                        break;
                    }
                    values.add(distinct.apply(list.get(j)));
                }
                if (values.size() >= threshold) {
                    fired.add(k);
                }
            }
        });
        return fired;
    }

    private Set<String> amountOutliers() {
        Map<String, List<BigDecimal>> history = new HashMap<>();
        Set<String> fired = new HashSet<>();
        for (Order o : orders) {
            if (o.status().equals("created")) {
                List<BigDecimal> earlier = history.getOrDefault(o.userId(), List.of());
                BigDecimal mean = earlier.isEmpty() ? null : earlier.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                        .divide(BigDecimal.valueOf(earlier.size()), MathContext.DECIMAL64);
                boolean overCap = o.amount().compareTo(AMOUNT_CAP) > 0;
                boolean farAboveHistory = mean != null && o.amount().compareTo(mean.multiply(BigDecimal.TEN)) > 0;
                if (overCap || farAboveHistory) {
                    fired.add(o.userId());
                }
            } else if (o.status().equals("paid")) {
                history.computeIfAbsent(o.userId(), u -> new ArrayList<>()).add(o.amount());
            }
        }
        return fired;
    }

    /** A paid order with more than 80 % off, by an account registered within the last 24 h. */
    private Set<String> couponAbuse() {
        Set<String> fired = new HashSet<>();
        for (Order o : status("paid")) {
            Instant since = registered.get(o.userId());
            BigDecimal full = o.amount().add(o.discount());
            boolean brandNew = since != null && !since.isAfter(o.time())
                    && Duration.between(since, o.time()).compareTo(Duration.ofHours(24)) <= 0;
            if (brandNew && full.signum() > 0
                    && o.discount().compareTo(full.multiply(new BigDecimal("0.8"))) > 0) {
                fired.add(o.userId());
            }
        }
        return fired;
    }
}
