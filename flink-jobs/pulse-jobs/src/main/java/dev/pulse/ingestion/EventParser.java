package dev.pulse.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns one raw input line into a typed event or a dead letter with a precise reason: malformed JSON, then the
 * stream's JSON Schema (the single source of truth for what is valid), then the rules a schema cannot say
 * (reporting currency, cents). Never throws on bad input.
 */
public final class EventParser<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The field whose enum says what kind of event this is; an unknown value there is its own reason. */
    private static final Map<Stream, String> TYPE_FIELD = Map.of(
            Stream.CLICK, "event_type", Stream.ORDER, "status", Stream.AD, "kind");
    private static final int MAX_DETAILS = 3;

    private final Stream stream;
    private final Class<T> type;
    private final String currency;
    private transient Schema schema;

    private EventParser(Stream stream, Class<T> type, String currency) {
        this.stream = stream;
        this.type = type;
        this.currency = currency;
    }

    /** A parser for the stream, accepting money only in the given reporting currency. */
    @SuppressWarnings("unchecked")
    public static <T> EventParser<T> forStream(Stream stream, String currency) {
        return new EventParser<>(stream, (Class<T>) stream.eventType(), currency);
    }

    public Stream stream() {
        return stream;
    }

    public Class<T> eventType() {
        return type;
    }

    public Parsed<T> parse(String raw) {
        JsonNode node;
        try {
            node = raw == null ? null : Json.MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return reject(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage(), raw);
        }
        if (node == null || !node.isObject()) {
            return reject(DeadLetterReason.MALFORMED_JSON, "expected a JSON object", raw);
        }
        List<Error> errors = schema().validate(node);
        if (!errors.isEmpty()) {
            return reject(classify(errors), describe(errors), raw);
        }
        T event;
        try {
            event = Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            return reject(DeadLetterReason.INVALID_VALUE, e.getOriginalMessage(), raw);
        } catch (IllegalArgumentException e) {
            return reject(DeadLetterReason.INVALID_VALUE, e.getMessage(), raw);
        }
        String problem = businessRuleViolation(event);
        if (problem != null) {
            DeadLetterReason reason = problem.startsWith("currency")
                    ? DeadLetterReason.UNSUPPORTED_CURRENCY : DeadLetterReason.INVALID_VALUE;
            return reject(reason, problem, raw);
        }
        return Parsed.ok(event);
    }

    private String businessRuleViolation(T event) {
        if (event instanceof OrderEvent) {
            OrderEvent o = (OrderEvent) event;
            return firstNonNull(currencyProblem(o.currency), centsProblem("amount", o.amount),
                    centsProblem("discount", o.discount));
        }
        if (event instanceof AdEvent) {
            AdEvent a = (AdEvent) event;
            return currencyProblem(a.currency);
        }
        return null;
    }

    private String currencyProblem(String eventCurrency) {
        return currency.equals(eventCurrency) ? null
                : "currency " + eventCurrency + " is not the reporting currency " + currency;
    }

    private static String centsProblem(String field, BigDecimal value) {
        return value != null && value.stripTrailingZeros().scale() > 2
                ? field + " " + value.toPlainString() + " has more than two decimal places" : null;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private DeadLetterReason classify(List<Error> errors) {
        return errors.stream().map(this::reasonOf).min(Comparator.naturalOrder()).orElseThrow();
    }

    private DeadLetterReason reasonOf(Error error) {
        switch (error.getKeyword()) {
            case "required":
                return DeadLetterReason.MISSING_FIELD;
            case "type":
                return DeadLetterReason.WRONG_TYPE;
            case "enum":
                String location = error.getInstanceLocation().toString();
                return location.endsWith(TYPE_FIELD.get(stream))
                        ? DeadLetterReason.UNKNOWN_EVENT_TYPE : DeadLetterReason.INVALID_VALUE;
            default:
                return DeadLetterReason.INVALID_VALUE;
        }
    }

    private static String describe(List<Error> errors) {
        return errors.stream().limit(MAX_DETAILS)
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
                .collect(Collectors.joining("; "));
    }

    private Parsed<T> reject(DeadLetterReason reason, String detail, String raw) {
        return Parsed.rejected(new DeadLetter(stream, reason, detail, raw, null));
    }

    private Schema schema() {
        if (schema == null) {
            schema = EventSchemas.load(stream.code() + ".schema.json");
        }
        return schema;
    }
}
