package dev.pulse.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * Breaks a valid event the way real producers do, one defect per line, each a different dead-letter reason:
 * cut-off JSON, a missing required field, a value of the wrong type, an unknown event type, or a value outside
 * the schema (unknown enum, negative amount, time without offset). Every result fails to parse or fails its
 * schema; the broken line gets a fresh event id so it is never mistaken for a duplicate of its source.
 */
final class Malformer {
    private static final DeadLetterReason[] REASONS = {
        DeadLetterReason.MALFORMED_JSON, DeadLetterReason.MISSING_FIELD, DeadLetterReason.WRONG_TYPE,
        DeadLetterReason.UNKNOWN_EVENT_TYPE, DeadLetterReason.INVALID_VALUE
    };

    record Broken(DeadLetterReason reason, String json) {}

    private final SplittableRandom r;

    Malformer(SplittableRandom random) {
        this.r = random;
    }

    Broken breakEvent(Stream stream, String json, String newEventId) {
        ObjectNode node = parse(json);
        node.put("event_id", newEventId);
        DeadLetterReason reason = REASONS[r.nextInt(REASONS.length)];
        switch (reason) {
            case MALFORMED_JSON -> {
                String text = Json.write(node);
                // any strict prefix of a JSON object is unparseable; cut after the event id so it stays findable
                int from = text.indexOf(newEventId) + newEventId.length() + 1;
                return new Broken(reason, text.substring(0, from + r.nextInt(Math.max(1, text.length() - 1 - from))));
            }
            case MISSING_FIELD -> node.remove(pick(switch (stream) {
                case CLICK -> new String[] {"device_id", "session_id", "channel", "event_time", "platform"};
                case ORDER -> new String[] {"amount", "order_id", "user_id", "status", "currency", "device_id"};
                case AD -> new String[] {"campaign_id", "impression_id", "cost", "placement", "device_id"};
            }));
            case WRONG_TYPE -> {
                switch (stream) {
                    case CLICK -> node.put("session_id", 1_000_000 + r.nextInt(9_000_000));
                    case ORDER -> {
                        if (Rand.chance(r, 0.5)) {
                            node.put("amount", node.get("amount").asText());
                        } else {
                            node.put("item_count", node.get("item_count").asText());
                        }
                    }
                    case AD -> node.put("cost", node.get("cost").asText());
                }
            }
            case UNKNOWN_EVENT_TYPE -> {
                switch (stream) {
                    case CLICK -> node.put("event_type", pick(new String[] {"teleport", "share", "checkout_started"}));
                    case ORDER -> node.put("status", pick(new String[] {"shipped", "delivered"}));
                    case AD -> node.put("kind", pick(new String[] {"view", "conversion"}));
                }
            }
            case INVALID_VALUE -> invalidValue(stream, node);
            default -> throw new IllegalStateException("not a generated defect: " + reason);
        }
        return new Broken(reason, Json.write(node));
    }

    private void invalidValue(Stream stream, ObjectNode node) {
        int choice = r.nextInt(2);
        if (choice == 0) {
            // a local time without offset: ambiguous, so the schema refuses it
            String time = node.get("event_time").asText();
            node.put("event_time", time.substring(0, time.length() - 1));
            return;
        }
        switch (stream) {
            case CLICK -> node.put("channel", "tv");
            case ORDER -> node.put("amount", node.get("amount").decimalValue().negate().subtract(BigDecimal.ONE));
            case AD -> node.put("placement", "billboard");
        }
    }

    private String pick(String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the generator wrote JSON it cannot read back", e);
        }
    }
}
