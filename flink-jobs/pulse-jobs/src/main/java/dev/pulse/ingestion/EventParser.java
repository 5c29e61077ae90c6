package dev.pulse.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.InputEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Turns one raw input record into a typed event or a dead letter with a precise reason. Never throws on bad input.
 *
 * <p>Valid events take one streaming pass from bytes to the event ({@link FastEventReader}, which checks what the
 * stream's JSON Schema checks). Whatever that pass does not certainly accept goes the full way: a JSON tree, the
 * schema validator (the single source of truth for what is valid, and the explanation of a rejection), then
 * binding. Both ways end with the rules a schema cannot say ({@link InputRules}: reporting currency, whole cents
 * (ad costs: millionths), bounds, event time not too far ahead, size).
 */
public final class EventParser<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The field whose enum says what kind of event this is; an unknown value there is its own reason. */
    private static final Map<Stream, String> TYPE_FIELD = Map.of(
            Stream.CLICK, "event_type", Stream.ORDER, "status", Stream.AD, "kind");
    private static final int MAX_DETAILS = 3;
    /** The largest ad cost, whatever the amount limit: costs are added up in millionths. */
    private static final BigDecimal MAX_AD_COST = BigDecimal.valueOf(100_000_000);

    private final Stream stream;
    private final Class<T> type;
    private final InputRules rules;
    private final SerializableClock clock;
    private transient Schema schema;
    private transient FastEventReader<T> fast;

    /** The wall clock the future bound is measured against (a test sets its own). */
    @FunctionalInterface
    public interface SerializableClock extends LongSupplier, Serializable {}

    private EventParser(Stream stream, Class<T> type, InputRules rules, SerializableClock clock) {
        this.stream = stream;
        this.type = type;
        this.rules = rules;
        this.clock = clock;
    }

    /** A parser for the stream with these rules, measuring the future bound against the wall clock. */
    @SuppressWarnings("unchecked")
    public static <T> EventParser<T> forStream(Stream stream, InputRules rules) {
        return new EventParser<>(stream, (Class<T>) stream.eventType(), rules, System::currentTimeMillis);
    }

    /** A parser with the default rules, accepting money only in the given reporting currency. */
    public static <T> EventParser<T> forStream(Stream stream, String currency) {
        return forStream(stream, InputRules.defaults(currency));
    }

    /** The same parser measuring the future bound against another clock. */
    public EventParser<T> withClock(SerializableClock otherClock) {
        return new EventParser<>(stream, type, rules, otherClock);
    }

    public Stream stream() {
        return stream;
    }

    public Class<T> eventType() {
        return type;
    }

    /** One record as it came from Kafka. */
    public Parsed<T> parse(byte[] raw) {
        T event = raw == null || raw.length > rules.maxEventBytes() ? null : readFast(raw);
        return event == null ? parseFully(raw) : checked(event, () -> new String(raw, StandardCharsets.UTF_8));
    }

    /** One line of a file or a test. */
    public Parsed<T> parse(String raw) {
        return raw == null ? parse((byte[]) null) : parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The fast pass alone: the event if it is certainly valid by its schema, else null. */
    T readFast(byte[] raw) {
        try {
            return fast().read(raw);
        } catch (IOException notReadable) {
            return null; // the full way says why
        }
    }

    /** The full way alone (tree, schema, binding, rules): what {@link #parse} answers when the fast pass defers. */
    Parsed<T> parseFully(byte[] raw) {
        if (raw == null) {
            return reject(DeadLetterReason.MALFORMED_JSON, "expected a JSON object", "");
        }
        if (raw.length > rules.maxEventBytes()) {
            return oversized(raw.length, new String(raw, 0, Math.min(raw.length, DeadLetter.MAX_RAW_CHARS),
                    StandardCharsets.UTF_8));
        }
        RawText text = () -> new String(raw, StandardCharsets.UTF_8);
        Parsed<T> bySchema = readBySchema(raw, text);
        return bySchema.isValid() ? checked(bySchema.event, text) : bySchema;
    }

    /** The schema validator decides, and explains; the event is bound but the input rules are not applied yet. */
    Parsed<T> readBySchema(byte[] bytes, RawText raw) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            return reject(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage(), raw.text());
        } catch (IOException e) {
            return reject(DeadLetterReason.MALFORMED_JSON, e.getMessage(), raw.text());
        }
        if (node == null || !node.isObject()) {
            return reject(DeadLetterReason.MALFORMED_JSON, "expected a JSON object", raw.text());
        }
        List<Error> errors = schema().validate(node);
        if (!errors.isEmpty()) {
            return reject(classify(errors), describe(errors), raw.text());
        }
        T event;
        try {
            event = Json.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            return reject(DeadLetterReason.INVALID_VALUE, e.getOriginalMessage(), raw.text());
        } catch (IllegalArgumentException e) {
            return reject(DeadLetterReason.INVALID_VALUE, e.getMessage(), raw.text());
        }
        return Parsed.ok(event);
    }

    /** The input text, made only when a dead letter needs it. */
    @FunctionalInterface
    interface RawText {
        String text();
    }

    private Parsed<T> checked(T event, RawText raw) {
        String problem = businessRuleViolation(event);
        if (problem != null) {
            DeadLetterReason reason = problem.startsWith("currency")
                    ? DeadLetterReason.UNSUPPORTED_CURRENCY : DeadLetterReason.INVALID_VALUE;
            return reject(reason, problem, raw.text());
        }
        long eventTime = ((InputEvent) event).eventTime().toEpochMilli();
        if (eventTime < 0) {
            // no shop's event is older than the epoch; state packs days as counts from it
            return reject(DeadLetterReason.INVALID_VALUE, "event_time is before 1970-01-01T00:00:00Z", raw.text());
        }
        long latestAllowed = clock.getAsLong() + rules.maxFuture().toMillis();
        if (eventTime > latestAllowed) {
            return Parsed.rejected(new DeadLetter(stream, DeadLetterReason.FUTURE_EVENT_TIME,
                    "event_time is more than " + rules.maxFuture() + " ahead of the wall clock", raw.text(),
                    ((InputEvent) event).eventTime().toString()));
        }
        return Parsed.ok(event);
    }

    private String businessRuleViolation(T event) {
        if (event instanceof OrderEvent o) {
            return firstNonNull(currencyProblem(o.currency), moneyProblem("amount", o.amount),
                    moneyProblem("discount", o.discount),
                    o.itemCount > rules.maxItemCount()
                            ? "item_count " + o.itemCount + " is above the limit of " + rules.maxItemCount() : null);
        }
        if (event instanceof AdEvent a) {
            return firstNonNull(currencyProblem(a.currency), costProblem(a.cost));
        }
        return null;
    }

    private String currencyProblem(String eventCurrency) {
        return rules.currency().equals(eventCurrency) ? null
                : "currency " + eventCurrency + " is not the reporting currency " + rules.currency();
    }

    private String moneyProblem(String field, BigDecimal value) {
        if (value != null && value.scale() > 2 && value.stripTrailingZeros().scale() > 2) {
            return field + " " + value.toPlainString() + " has more than two decimal places";
        }
        return boundProblem(field, value);
    }

    /**
     * Ad costs may be fractions of a cent (an impression bought per thousand): up to six decimals, summed exactly
     * in millionths; so at most {@link #MAX_AD_COST} (10^14 millionths, as many as the largest amount in cents).
     */
    private String costProblem(BigDecimal cost) {
        if (cost != null && cost.scale() > 6 && cost.stripTrailingZeros().scale() > 6) {
            return "cost " + cost.toPlainString() + " has more than six decimal places";
        }
        if (cost != null && cost.compareTo(MAX_AD_COST) > 0) {
            return "cost " + cost.toPlainString() + " is above the limit of " + MAX_AD_COST.toPlainString();
        }
        return boundProblem("cost", cost);
    }

    private String boundProblem(String field, BigDecimal value) {
        return value != null && value.compareTo(rules.maxAmount()) > 0
                ? field + " " + value.toPlainString() + " is above the limit of " + rules.maxAmount().toPlainString()
                : null;
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

    private Parsed<T> oversized(int bytes, String head) {
        return reject(DeadLetterReason.OVERSIZED, bytes + " bytes, above the limit of " + rules.maxEventBytes(), head);
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

    @SuppressWarnings("unchecked")
    private FastEventReader<T> fast() {
        if (fast == null) {
            fast = (FastEventReader<T>) FastReaders.forStream(stream,
                    EventSchemas.document(stream.code() + ".schema.json"));
        }
        return fast;
    }
}
