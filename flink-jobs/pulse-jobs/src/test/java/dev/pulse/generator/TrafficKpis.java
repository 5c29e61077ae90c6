package dev.pulse.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.json.Json;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The catalog's KPIs recomputed from generated lines, independently of the generator's model: only the JSON is
 * read, as the engine reads it. Add lines one by one, then read the figures.
 */
final class TrafficKpis {
    static final Duration ATTRIBUTION_WINDOW = Duration.ofHours(24);

    private record AdClick(Instant time, String campaign) {}

    private record PaidOrder(Instant time, String userId, String deviceId, BigDecimal amount) {}

    final Set<String> visitors = new HashSet<>();
    final Set<String> payingUsers = new HashSet<>();
    long clicks;
    long anonymousClicks;
    long created;
    long paid;
    long paymentFailed;
    long cancelled;
    long refunded;
    long impressions;
    long adClicks;
    BigDecimal gmv = BigDecimal.ZERO;
    BigDecimal spend = BigDecimal.ZERO;
    final Map<String, BigDecimal> spendByCampaign = new TreeMap<>();
    private final List<PaidOrder> paidOrders = new ArrayList<>();
    /** Ad clicks by "u:user" when the clicker was logged in, else by "d:device". */
    private final Map<String, List<AdClick>> adClicksByVisitor = new HashMap<>();

    static TrafficKpis of(Iterable<GeneratedEvent> events) {
        TrafficKpis k = new TrafficKpis();
        events.forEach(k::add);
        return k;
    }

    void add(GeneratedEvent e) {
        JsonNode n = read(e.json());
        switch (e.stream()) {
            case CLICK -> {
                clicks++;
                String user = text(n, "user_id");
                if (user == null) {
                    anonymousClicks++;
                }
                visitors.add(user != null ? "u:" + user : "d:" + n.get("device_id").asText());
            }
            case ORDER -> {
                switch (n.get("status").asText()) {
                    case "created" -> created++;
                    case "paid" -> {
                        paid++;
                        payingUsers.add(n.get("user_id").asText());
                        gmv = gmv.add(n.get("amount").decimalValue());
                        paidOrders.add(new PaidOrder(time(n), n.get("user_id").asText(), n.get("device_id").asText(),
                                n.get("amount").decimalValue()));
                    }
                    case "payment_failed" -> paymentFailed++;
                    case "cancelled" -> cancelled++;
                    case "refunded" -> refunded++;
                    default -> throw new AssertionError("unexpected status in " + e);
                }
            }
            case AD -> {
                BigDecimal cost = n.get("cost").decimalValue();
                spend = spend.add(cost);
                spendByCampaign.merge(n.get("campaign_id").asText(), cost, BigDecimal::add);
                if ("impression".equals(n.get("kind").asText())) {
                    impressions++;
                } else {
                    adClicks++;
                    String user = text(n, "user_id");
                    String visitor = user != null ? "u:" + user : "d:" + n.get("device_id").asText();
                    adClicksByVisitor.computeIfAbsent(visitor, x -> new ArrayList<>())
                            .add(new AdClick(time(n), n.get("campaign_id").asText()));
                }
            }
        }
    }

    double conversion() {
        return (double) payingUsers.size() / visitors.size();
    }

    double aov() {
        return gmv.divide(BigDecimal.valueOf(paid), MathContext.DECIMAL64).doubleValue();
    }

    double refundRate() {
        return (double) refunded / paid;
    }

    double cancellationRate() {
        return (double) cancelled / created;
    }

    double paymentSuccessRate() {
        return (double) paid / (paid + paymentFailed);
    }

    double ctr() {
        return (double) adClicks / impressions;
    }

    double anonymousClickShare() {
        return (double) anonymousClicks / clicks;
    }

    /**
     * Last-click attribution: a paid order is credited to the latest ad click at or before it, within 24 h, by the
     * same user (or by the same device when the click was anonymous).
     */
    Map<String, BigDecimal> attributedGmvByCampaign() {
        Map<String, BigDecimal> gmvByCampaign = new TreeMap<>();
        for (PaidOrder order : paidOrders) {
            List<AdClick> candidates = new ArrayList<>();
            candidates.addAll(adClicksByVisitor.getOrDefault("u:" + order.userId(), List.of()));
            candidates.addAll(adClicksByVisitor.getOrDefault("d:" + order.deviceId(), List.of()));
            Optional<AdClick> last = candidates.stream()
                    .filter(c -> !c.time().isAfter(order.time())
                            && Duration.between(c.time(), order.time()).compareTo(ATTRIBUTION_WINDOW) <= 0)
                    .max(Comparator.comparing(AdClick::time));
            last.ifPresent(c -> gmvByCampaign.merge(c.campaign(), order.amount(), BigDecimal::add));
        }
        return gmvByCampaign;
    }

    double roas() {
        BigDecimal attributed = attributedGmvByCampaign().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return attributed.divide(spend, MathContext.DECIMAL64).doubleValue();
    }

    @Override
    public String toString() {
        Map<String, BigDecimal> byCampaign = attributedGmvByCampaign();
        StringBuilder perCampaign = new StringBuilder();
        spendByCampaign.forEach((c, s) -> perCampaign.append(String.format(" %s=%.2f", c,
                byCampaign.getOrDefault(c, BigDecimal.ZERO).doubleValue() / s.doubleValue())));
        return String.format("UV=%d paying=%d conversion=%.4f AOV=%.2f paid=%d refund=%.4f cancel=%.4f "
                        + "paySuccess=%.4f ROAS=%.3f spend=%s CTR=%.4f anonymousClicks=%.3f; ROAS by campaign:%s",
                visitors.size(), payingUsers.size(), conversion(), aov(), paid, refundRate(), cancellationRate(),
                paymentSuccessRate(), roas(), spend, ctr(), anonymousClickShare(), perCampaign);
    }

    static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Instant time(JsonNode n) {
        return Instant.parse(n.get("event_time").asText());
    }
}
