package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.Stream;
import dev.pulse.risk.RiskRule;
import dev.pulse.testing.RiskRecompute;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Fraud labels are truthful and complete: the catalog's risk rules, evaluated plainly over all orders, fire on
 * exactly the users (devices, ips) of the labelled incidents, and on nothing in ordinary traffic or the lookalikes.
 */
class FraudIncidentTest {

    @Test
    void ordinaryTrafficTripsNoRiskRule() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(41, Duration.ofHours(3), 150).build());

        Map<String, Set<String>> firings = firings(events);

        assertThat(firings).hasSize(RiskRule.values().length).allSatisfy((rule, keys) -> assertThat(keys).as(rule).isEmpty());
    }

    @Test
    void eachRuleFiresExactlyOnTheLabelledIncidents() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(43, Duration.ofHours(4), 30)
                .fraudIncidentsPerHour(40).build());

        Map<String, Set<String>> expected = new TreeMap<>();
        for (GeneratedEvent e : events) {
            if (e.label() == null || !e.label().startsWith("fraud:") || e.stream() != Stream.ORDER) {
                continue;
            }
            String rule = e.label().substring("fraud:".length());
            JsonNode n = Generated.json(e);
            String key = switch (rule) {
                case "shared_device" -> n.get("device_id").asText();
                case "shared_ip" -> n.get("ip").asText();
                default -> n.get("user_id").asText();
            };
            expected.computeIfAbsent(rule, r -> new HashSet<>()).add(key);
        }

        Map<String, Set<String>> firings = firings(events);

        // the lookalikes come near a rule and cross none: the exact match below holds with them in the traffic
        assertThat(events.stream().filter(e -> e.label() != null && e.label().startsWith("lookalike:"))
                .map(GeneratedEvent::label).distinct())
                .containsExactlyInAnyOrder("lookalike:family_device", "lookalike:home_and_office",
                        "lookalike:big_order");
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(firings.keySet());
        expected.forEach((rule, keys) -> assertThat(keys).as(rule).hasSizeGreaterThanOrEqualTo(8));
        expected.forEach((rule, keys) ->
                assertThat(firings.get(rule)).as(rule).containsExactlyInAnyOrderElementsOf(keys));
    }

    @Test
    void everyEventOfAnIncidentIsLabelledAndIncidentsStayOffTheInjectors() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(47, Duration.ofHours(1), 30)
                .fraudIncidentsPerHour(40).duplicateRate(0.1).lateRate(0.1).build());

        Set<String> fraudUsers = new HashSet<>();
        for (GeneratedEvent e : events) {
            if (e.label() != null && e.label().startsWith("fraud:")) {
                assertThat(e.arrivalTime()).isEqualTo(e.eventTime());
                fraudUsers.add(e.key());
            }
        }
        assertThat(events).filteredOn(e -> fraudUsers.contains(e.key()))
                .allSatisfy(e -> assertThat(e.label()).startsWith("fraud:"));
    }

    /** The keys each rule fires on, recomputed plainly over the generated events. */
    static Map<String, Set<String>> firings(List<GeneratedEvent> events) {
        return RiskRecompute.of(events).keysByRule();
    }
}
