package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every generated line validates against its stream's schema, and every malformed line fails for its reason. */
class GeneratedEventSchemaTest {
    private final InputSchemas schemas = new InputSchemas();

    @Test
    void everyLineValidatesWithAllInjectionsButMalformed() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(21, Duration.ofMinutes(30), 60)
                .promotion(new Promotion(Duration.ofMinutes(10), Duration.ofMinutes(5), 10))
                .lateRate(0.05).veryLateRate(0.02).outOfOrderRate(0.05).duplicateRate(0.05)
                .fraudIncidentsPerHour(60)
                .build());

        Map<Stream, Integer> perStream = new EnumMap<>(Stream.class);
        for (GeneratedEvent e : events) {
            List<Error> errors = schemas.validate(e.stream(), Generated.json(e));
            assertThat(errors).as("%s: %s", e, e.json()).isEmpty();
            perStream.merge(e.stream(), 1, Integer::sum);
        }
        assertThat(perStream.values()).allSatisfy(n -> assertThat(n).isGreaterThan(300));
        Set<String> labels = Set.copyOf(events.stream().map(GeneratedEvent::label).filter(l -> l != null).toList());
        assertThat(labels).contains("late", "very_late", "out_of_order", "duplicate", "fraud:burst");
    }

    @Test
    void everyMalformedLineFailsForTheReasonItsLabelGives() {
        List<GeneratedEvent> events = Generated.all(Generated.settings(23, Duration.ofMinutes(20), 60)
                .malformedRate(0.2).build());

        Map<String, Integer> seen = new TreeMap<>();
        for (GeneratedEvent e : events) {
            if (e.label() == null) {
                assertThat(schemas.validate(e.stream(), Generated.json(e))).as(e.json()).isEmpty();
                continue;
            }
            DeadLetterReason reason = DeadLetterReason.ofCode(e.label().substring("malformed:".length()));
            seen.merge(e.stream().code() + "/" + reason.code(), 1, Integer::sum);
            if (reason == DeadLetterReason.MALFORMED_JSON) {
                assertThatThrownBy(() -> Json.MAPPER.readTree(e.json())).as(e.json()).isNotNull();
                assertThat(e.json()).contains(e.eventId());
                continue;
            }
            JsonNode node = Generated.json(e);
            assertThat(node.get("event_id").asText()).isEqualTo(e.eventId());
            List<Error> errors = schemas.validate(e.stream(), node);
            assertThat(errors).as(e.json()).isNotEmpty();
            // the reason an engine would give: the most basic violated keyword decides
            assertThat(reasonOf(e.stream(), errors)).as(e.json()).isEqualTo(reason);
        }
        // every defect occurs on every stream
        for (Stream s : Stream.values()) {
            for (DeadLetterReason r : List.of(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.MISSING_FIELD,
                    DeadLetterReason.WRONG_TYPE, DeadLetterReason.UNKNOWN_EVENT_TYPE, DeadLetterReason.INVALID_VALUE)) {
                assertThat(seen).containsKey(s.code() + "/" + r.code());
            }
        }
    }

    private static DeadLetterReason reasonOf(Stream stream, List<Error> errors) {
        String typeField = switch (stream) {
            case CLICK -> "event_type";
            case ORDER -> "status";
            case AD -> "kind";
        };
        return errors.stream().map(error -> switch (error.getKeyword()) {
            case "required" -> DeadLetterReason.MISSING_FIELD;
            case "type" -> DeadLetterReason.WRONG_TYPE;
            case "enum" -> error.getInstanceLocation().toString().endsWith(typeField)
                    ? DeadLetterReason.UNKNOWN_EVENT_TYPE : DeadLetterReason.INVALID_VALUE;
            default -> DeadLetterReason.INVALID_VALUE;
        }).min(Enum::compareTo).orElseThrow();
    }
}
