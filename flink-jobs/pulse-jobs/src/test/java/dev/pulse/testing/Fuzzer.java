package dev.pulse.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bad input made from good: each mutation turns a valid event line into one the engine must dead-letter, with the
 * reason it must give, decided here from what the mutation breaks (the schemas' rules), not from the engine. Every
 * mutated event gets an event id (and an ad an impression id) of its own, so that no bad copy can take a valid
 * event's place in the de-duplication.
 */
public final class Fuzzer {
    /** How a valid event is broken, and the dead-letter reason that follows. */
    public enum Mutation {
        TRUNCATED(DeadLetterReason.MALFORMED_JSON),
        NOT_JSON(DeadLetterReason.MALFORMED_JSON),
        INVALID_UTF8(DeadLetterReason.MALFORMED_JSON),
        DEEPLY_NESTED(DeadLetterReason.MALFORMED_JSON),
        WRONG_TYPE(DeadLetterReason.WRONG_TYPE),
        MISSING_FIELD(DeadLetterReason.MISSING_FIELD),
        UNKNOWN_EVENT_TYPE(DeadLetterReason.UNKNOWN_EVENT_TYPE),
        UNKNOWN_ENUM_VALUE(DeadLetterReason.INVALID_VALUE),
        HUGE_NUMBER(DeadLetterReason.INVALID_VALUE),
        NEGATIVE_NUMBER(DeadLetterReason.INVALID_VALUE),
        TINY_NUMBER(DeadLetterReason.INVALID_VALUE),
        BAD_TIMESTAMP(DeadLetterReason.INVALID_VALUE),
        UNSUPPORTED_CURRENCY(DeadLetterReason.UNSUPPORTED_CURRENCY),
        FAR_PAST(DeadLetterReason.TOO_LATE),
        FAR_FUTURE(DeadLetterReason.FUTURE_EVENT_TIME),
        OVERSIZED(DeadLetterReason.OVERSIZED);

        public final DeadLetterReason reason;

        Mutation(DeadLetterReason reason) {
            this.reason = reason;
        }

        /** Whether it can break an event of this stream (clicks have no amount and no currency). */
        boolean appliesTo(Stream stream) {
            return switch (this) {
                case HUGE_NUMBER, NEGATIVE_NUMBER, TINY_NUMBER, UNSUPPORTED_CURRENCY -> stream != Stream.CLICK;
                default -> true;
            };
        }
    }

    /** One bad line for a stream's topic. */
    public record Bad(Stream stream, Mutation mutation, byte[] raw) {}

    private static final Map<Stream, String> TYPE_FIELD =
            Map.of(Stream.CLICK, "event_type", Stream.ORDER, "status", Stream.AD, "kind");
    private static final Map<Stream, String> ENUM_FIELD =
            Map.of(Stream.CLICK, "channel", Stream.ORDER, "channel", Stream.AD, "placement");
    private static final Map<Stream, String> NUMBER_FIELD = Map.of(Stream.ORDER, "amount", Stream.AD, "cost");

    private final SplittableRandom random;
    private final int oversizedBytes;
    private int next;

    /** @param oversizedBytes a size the engine refuses to read (above pulse.input.max-bytes) */
    public Fuzzer(long seed, int oversizedBytes) {
        this.random = new SplittableRandom(seed);
        this.oversizedBytes = oversizedBytes;
    }

    /** A bad line from a valid one of the stream, broken by the mutation. */
    public Bad mutate(Stream stream, String validLine, Mutation mutation) {
        if (!mutation.appliesTo(stream)) {
            throw new IllegalArgumentException(mutation + " does not apply to " + stream);
        }
        ObjectNode event = Json.read(validLine, ObjectNode.class);
        event.put("event_id", "fuzz-" + stream.name().toLowerCase() + "-" + next);
        if (stream == Stream.AD) {
            // an impression id is an ad's identity too: a copy of a counted impression is a duplicate (dropped and
            // counted as one), not a bad event
            event.put("impression_id", "fuzz-imp-" + next);
        }
        next++;
        String json = event.toString();
        byte[] raw = switch (mutation) {
            // cut inside the object: never a whole JSON value
            case TRUNCATED -> utf8(json.substring(0, 1 + random.nextInt(json.length() - 2)));
            case NOT_JSON -> utf8(List.of("", " ", "null", "[]", "42", "\"text\"", "{\"event_id\":}", "<xml/>")
                    .get(random.nextInt(8)) + (random.nextBoolean() ? "" : "}}"));
            case INVALID_UTF8 -> invalidUtf8(json);
            // deeper than a JSON parser should follow (Jackson's limit is 1,000), small enough not to be oversized
            case DEEPLY_NESTED -> utf8(json.substring(0, json.length() - 1) + ",\"extra\":"
                    + "[".repeat(1_500) + "]".repeat(1_500) + "}");
            case WRONG_TYPE -> utf8(withField(event, "event_id", 12_345));
            case MISSING_FIELD -> {
                event.remove("event_time");
                yield utf8(event.toString());
            }
            case UNKNOWN_EVENT_TYPE -> utf8(withField(event, TYPE_FIELD.get(stream), "teleported"));
            case UNKNOWN_ENUM_VALUE -> utf8(withField(event, ENUM_FIELD.get(stream), "carrier_pigeon"));
            case HUGE_NUMBER -> utf8(withRawNumber(event, NUMBER_FIELD.get(stream), "1e19"));
            case NEGATIVE_NUMBER -> utf8(withRawNumber(event, NUMBER_FIELD.get(stream), "-0.01"));
            case TINY_NUMBER -> utf8(withRawNumber(event, NUMBER_FIELD.get(stream), "1e-30"));
            case BAD_TIMESTAMP -> utf8(withField(event, "event_time", "yesterday at noon"));
            case UNSUPPORTED_CURRENCY -> utf8(withField(event, "currency", "XXX"));
            case FAR_PAST -> utf8(withField(event, "event_time", "1970-01-01T00:00:00Z"));
            case FAR_FUTURE -> utf8(withField(event, "event_time", "2999-12-31T23:59:59Z"));
            case OVERSIZED -> utf8(withField(event, "page", "x".repeat(oversizedBytes)));
        };
        return new Bad(stream, mutation, raw);
    }

    /**
     * Bad lines for every mutation that applies to each stream, round robin, {@code count} in all, each from a
     * valid line of its stream picked at random.
     */
    public List<Bad> mutateAll(Map<Stream, List<String>> validLines, int count) {
        List<Bad> bad = new ArrayList<>(count);
        Stream[] streams = Stream.values();
        Mutation[] mutations = Mutation.values();
        for (int i = 0; bad.size() < count; i++) {
            Stream stream = streams[i % streams.length];
            Mutation mutation = mutations[(i / streams.length) % mutations.length];
            if (mutation.appliesTo(stream)) {
                List<String> lines = validLines.get(stream);
                bad.add(mutate(stream, lines.get(random.nextInt(lines.size())), mutation));
            }
        }
        return bad;
    }

    private static String withField(ObjectNode event, String field, Object value) {
        ObjectNode copy = event.deepCopy();
        copy.set(field, Json.MAPPER.valueToTree(value));
        return copy.toString();
    }

    /** The number as written, not as a double prints it (1e19, 1e-30). */
    private static String withRawNumber(ObjectNode event, String field, String number) {
        ObjectNode copy = event.deepCopy();
        copy.put(field, "@@");
        return copy.toString().replace("\"@@\"", number);
    }

    /** A lone continuation byte and a truncated two-byte sequence inside a string value. */
    private byte[] invalidUtf8(String json) {
        int quote = json.indexOf("\":\"") + 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            out.write(utf8(json.substring(0, quote)));
            out.write(random.nextBoolean() ? new byte[] {(byte) 0x80} : new byte[] {(byte) 0xC3, (byte) 0x28});
            out.write(utf8(json.substring(quote)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
