package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Determinism, arrival order and the structure of the clean traffic (sessions, funnels, orders, ads). */
class TrafficGeneratorTest {

    private static GeneratorSettings everything(long seed) {
        return Generated.settings(seed, Duration.ofMinutes(20), 100)
                .promotion(new Promotion(Duration.ofMinutes(5), Duration.ofMinutes(5), 10))
                .lateRate(0.02).veryLateRate(0.01).outOfOrderRate(0.03).duplicateRate(0.02).malformedRate(0.01)
                .fraudIncidentsPerHour(30)
                .build();
    }

    @Test
    void sameSettingsAndSeedGiveIdenticalOutput() {
        List<GeneratedEvent> first = Generated.all(everything(7));
        List<GeneratedEvent> second = Generated.all(everything(7));

        assertThat(first).hasSizeGreaterThan(20_000);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedsGiveDifferentTraffic() {
        List<GeneratedEvent> seven = Generated.all(everything(7));
        List<GeneratedEvent> eight = Generated.all(everything(8));

        Set<String> shared = new HashSet<>(seven.stream().map(GeneratedEvent::json).toList());
        shared.retainAll(new HashSet<>(eight.stream().map(GeneratedEvent::json).toList()));
        assertThat(shared).isEmpty(); // every line carries a run-specific event id
        // and not only the ids: the traffic itself (what happens when) differs
        assertThat(eight.stream().limit(1_000).map(e -> e.stream() + "@" + e.eventTime()).toList())
                .isNotEqualTo(seven.stream().limit(1_000).map(e -> e.stream() + "@" + e.eventTime()).toList());
    }

    @Test
    void startDefaultsToTheClockAndEveryEventTimeIsInsideTheSpan() {
        Instant now = Instant.parse("2026-11-11T03:04:05.678Z");
        GeneratorSettings settings = GeneratorSettings.builder().start(null).duration(Duration.ofMinutes(3)).build();
        TrafficGenerator generator = new TrafficGenerator(settings, () -> now);
        List<GeneratedEvent> events = new ArrayList<>();
        generator.forEachRemaining(events::add);

        assertThat(generator.start()).isEqualTo(now);
        Instant lastMillisecond = now.plusSeconds(180).minusMillis(1);
        assertThat(events).allSatisfy(e -> assertThat(e.eventTime()).isBetween(now, lastMillisecond));
        assertThat(events.get(0).eventTime()).isBefore(now.plusSeconds(10));
    }

    @Test
    void linesComeInArrivalOrderAndOnlyInjectedOnesArriveAfterTheirEventTime() {
        List<GeneratedEvent> events = Generated.all(everything(3));

        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).arrivalTime()).isAfterOrEqualTo(events.get(i - 1).arrivalTime());
        }
        assertThat(events).filteredOn(e -> e.label() == null || e.label().startsWith("fraud:"))
                .allSatisfy(e -> assertThat(e.arrivalTime()).isEqualTo(e.eventTime()));
        // without injection, arrival order is event-time order
        List<GeneratedEvent> clean = Generated.all(Generated.settings(3, Duration.ofMinutes(20), 100).build());
        assertThat(clean).isSortedAccordingTo(Comparator.comparing(GeneratedEvent::eventTime));
    }

    @Test
    void injectionAndFraudLeaveTheOrdinaryTrafficUnchanged() {
        List<String> plain = Generated.all(Generated.settings(5, Duration.ofMinutes(20), 100).build())
                .stream().map(GeneratedEvent::json).sorted().toList();
        List<String> withInjection = Generated.all(everything(5).toBuilder().promotion(null).build()).stream()
                .filter(e -> !Generated.isExtraLine(e))
                .filter(e -> e.label() == null || !e.label().startsWith("fraud:"))
                .map(GeneratedEvent::json).sorted().toList();

        assertThat(withInjection).isEqualTo(plain);
    }

    @Test
    void eventIdsAreUniqueAndKeysFollowTheVisitor() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(11, Duration.ofMinutes(30), 100)
                .fraudIncidentsPerHour(20).build());

        Set<String> ids = new HashSet<>();
        for (GeneratedEvent e : events) {
            assertThat(ids.add(e.eventId())).as("unique id %s", e).isTrue();
            JsonNode n = Generated.json(e);
            assertThat(n.get("event_id").asText()).isEqualTo(e.eventId());
            String user = TrafficKpis.text(n, "user_id");
            assertThat(e.key()).isEqualTo(user != null ? user : n.get("device_id").asText());
        }
    }

    @Test
    void sessionsFollowTheFunnelInTimeOrder() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(13, Duration.ofMinutes(60), 100).build());
        Map<String, Set<String>> viewedBySession = new HashMap<>();
        Map<String, String> campaignBySession = new HashMap<>();
        int carts = 0;
        for (GeneratedEvent e : events) {
            if (e.stream() != Stream.CLICK) {
                continue;
            }
            JsonNode n = Generated.json(e);
            String session = n.get("session_id").asText();
            String type = n.get("event_type").asText();
            String item = TrafficKpis.text(n, "item_id");
            if (type.equals("product_view")) {
                viewedBySession.computeIfAbsent(session, s -> new HashSet<>()).add(item);
            }
            if (type.equals("add_to_cart")) {
                carts++;
                assertThat(viewedBySession.getOrDefault(session, Set.of())).as("viewed before cart").contains(item);
            }
            // the campaign of a paid visit is set on all its clicks, and only on paid visits
            String campaign = TrafficKpis.text(n, "campaign_id");
            assertThat(campaign != null).isEqualTo(n.get("channel").asText().equals("paid_ads"));
            if (campaign != null) {
                assertThat(campaignBySession.computeIfAbsent(session, s -> campaign)).isEqualTo(campaign);
            }
        }
        assertThat(carts).isGreaterThan(500);
    }

    @Test
    void ordersMoveThroughTheirLifecycleInTimeOrder() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(17, Duration.ofMinutes(90), 100).build());
        Map<String, List<String>> statusesByOrder = new HashMap<>();
        for (GeneratedEvent e : events) {
            if (e.stream() == Stream.ORDER) {
                JsonNode n = Generated.json(e);
                statusesByOrder.computeIfAbsent(n.get("order_id").asText(), o -> new ArrayList<>())
                        .add(n.get("status").asText());
            }
        }
        // created, then at most 3 payment attempts, each failure either retried or ended by a cancellation;
        // a paid order may be cancelled or refunded once
        String lifecycle = "created(payment_failed){0,3}(paid(cancelled|refunded)?|cancelled)?";
        Set<String> shapes = statusesByOrder.values().stream().map(s -> String.join("", s))
                .collect(Collectors.toSet());
        assertThat(shapes).allSatisfy(shape -> assertThat(shape).matches(lifecycle));
        assertThat(shapes).contains("createdpaid", "createdcancelled", "createdpaidrefunded",
                "createdpayment_failedpaid", "createdpaidcancelled");
    }

    @Test
    void everyAdClickRefersToAnEarlierImpressionOfTheSameAd() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(19, Duration.ofMinutes(30), 100).build());
        Map<String, JsonNode> impressions = new HashMap<>();
        int clicks = 0;
        for (GeneratedEvent e : events) {
            if (e.stream() != Stream.AD) {
                continue;
            }
            JsonNode n = Generated.json(e);
            String impression = n.get("impression_id").asText();
            if (n.get("kind").asText().equals("impression")) {
                assertThat(impressions.put(impression, n)).isNull();
                continue;
            }
            clicks++;
            JsonNode shown = impressions.get(impression);
            assertThat(shown).as("impression of click %s", e).isNotNull();
            for (String field : List.of("campaign_id", "creative_id", "placement", "device_id", "user_id")) {
                assertThat(n.get(field)).isEqualTo(shown.get(field));
            }
            assertThat(TrafficKpis.time(n)).isAfter(TrafficKpis.time(shown));
        }
        assertThat(clicks).isGreaterThan(300);
    }
}
