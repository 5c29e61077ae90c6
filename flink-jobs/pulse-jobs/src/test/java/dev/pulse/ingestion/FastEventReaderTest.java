package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.model.Stream;
import dev.pulse.testing.SchemaExamples;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fast pass may defer a valid event to the schema, never accept what the schema rejects, and what it reads
 * must equal what the full way (tree, schema, binding) reads. Held on every schema example and on generated
 * traffic: the generator's own malformed lines and random mutations of single fields (types, lengths, enum
 * values, time notations, number forms, duplicate keys, nesting, trailing text).
 */
@Timeout(300)
class FastEventReaderTest {
    private static final int MUTATED_EVENTS = 120_000;

    private final Map<Stream, EventParser<Object>> parsers = new EnumMap<>(Stream.class);

    FastEventReaderTest() {
        for (Stream s : Stream.values()) {
            parsers.put(s, EventParser.<Object>forStream(s, "CNY").withClock(() -> Long.MAX_VALUE / 2));
        }
    }

    @Test
    void agreesWithTheSchemaOnEveryExample() {
        for (Stream stream : Stream.values()) {
            for (Path example : SchemaExamples.examples(stream.code())) {
                String raw = SchemaExamples.read(example);
                assertAgrees(stream, raw);
                // the examples are written plainly: each valid one takes the fast pass, each invalid one is deferred
                assertThat(parsers.get(stream).readFast(bytes(raw)) != null).as("fast pass on %s", example)
                        .isEqualTo(SchemaExamples.isValid(example));
            }
        }
    }

    @Test
    void agreesWithTheSchemaOnMutatedTraffic() {
        SplittableRandom random = new SplittableRandom(11);
        TrafficGenerator generator = new TrafficGenerator(GeneratorSettings.builder()
                .seed(5).start(Instant.parse("2026-11-10T16:00:00Z")).duration(Duration.ofDays(3))
                .sessionsPerMinute(400).malformedRate(0.2).build());
        Map<String, Integer> outcomes = new TreeMap<>();
        int fastAccepted = 0;
        for (int i = 0; i < MUTATED_EVENTS; i++) {
            GeneratedEvent e = generator.next();
            String raw = i % 5 == 0 ? e.json() : mutate(e.json(), random);
            String outcome = assertAgrees(e.stream(), raw);
            outcomes.merge(outcome, 1, Integer::sum);
            boolean fast = parsers.get(e.stream()).readFast(bytes(raw)) != null;
            if (fast) {
                fastAccepted++;
            }
            if (i % 5 == 0 && outcome.equals("valid")) {
                assertThat(fast).as("an ordinary generated line takes the fast pass: %s", raw).isTrue();
            }
        }
        // the mutations reach every kind of outcome, and ordinary lines take the fast pass
        assertThat(outcomes.keySet()).contains("valid", "malformed_json", "missing_field", "wrong_type",
                "unknown_event_type", "invalid_value", "unsupported_currency");
        assertThat(fastAccepted).isGreaterThan(MUTATED_EVENTS / 5);
    }

    @Test
    void readsPropertiesInAnyOrderWhateverOrderCameBefore() throws Exception {
        // the reader first tries the property that followed the previous one last time: a line in another order,
        // or with other properties between, must read the same
        EventParser<Object> parser = parsers.get(Stream.AD);
        Path example = SchemaExamples.examples(Stream.AD.code()).stream().filter(SchemaExamples::isValid)
                .findFirst().orElseThrow();
        ObjectNode usual = (ObjectNode) Json.MAPPER.readTree(SchemaExamples.read(example));
        List<String> names = new ArrayList<>();
        usual.fieldNames().forEachRemaining(names::add);
        ObjectNode reversed = Json.MAPPER.createObjectNode();
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.set(names.get(i), usual.get(names.get(i)));
            if (i % 3 == 0) {
                reversed.put("extra_" + i, "x");
            }
        }
        Object expected = parser.readBySchema(bytes(usual.toString()), usual::toString).event;
        assertThat(expected).isNotNull();
        for (int round = 0; round < 3; round++) {
            assertThat(parser.readFast(bytes(usual.toString()))).isEqualTo(expected);
            assertThat(parser.readFast(bytes(reversed.toString()))).isEqualTo(expected);
        }
    }

    @Test
    void matchesTheSchemasCharacterSetPatternsWithoutARegularExpression() {
        var currency = FastEventReader.PatternCheck.of("^[A-Z]{3}$");
        assertThat(currency).isInstanceOf(FastEventReader.PatternCheck.CharSets.class);
        assertThat(List.of("CNY", "CN", "CNYX", "cny", "CNY\n", "C1Y")).filteredOn(currency).containsExactly("CNY");
        var hash = FastEventReader.PatternCheck.of("^[0-9a-f]{16,64}$");
        assertThat(hash).isInstanceOf(FastEventReader.PatternCheck.CharSets.class);
        assertThat(List.of("0123456789abcdef", "0123456789abcde", "0123456789abcdeF", "f".repeat(64), "f".repeat(65)))
                .filteredOn(hash).containsExactly("0123456789abcdef", "f".repeat(64));
        // anything else is a regular expression, with the schema's unanchored semantics
        assertThat(FastEventReader.PatternCheck.of("[A-Z]{3}"))
                .isNotInstanceOf(FastEventReader.PatternCheck.CharSets.class).accepts("xCNYx");
    }

    /** parse() equals the full way, and a fast acceptance is one the full way makes too, with the same event. */
    private String assertAgrees(Stream stream, String raw) {
        EventParser<Object> parser = parsers.get(stream);
        Parsed<Object> full = parser.parseFully(bytes(raw));
        Parsed<Object> parsed = parser.parse(bytes(raw));
        Object fast = parser.readFast(bytes(raw));
        if (fast != null) {
            Parsed<Object> bySchema = parser.readBySchema(bytes(raw), () -> raw);
            assertThat(bySchema.event).as("the schema rejects what the fast pass accepted: %s", raw).isNotNull();
            assertThat(fast).as(raw).isEqualTo(bySchema.event);
        }
        assertThat(parsed).as(raw).isEqualTo(full);
        return full.isValid() ? "valid" : full.deadLetter.reason.code();
    }

    private static byte[] bytes(String raw) {
        return raw.getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] STRINGS = {"", " ", "x", "a".repeat(128), "a".repeat(129), "b".repeat(600),
        "😀".repeat(64), "😀".repeat(65), "CNY", "cny", "USD", "CN", "abcdef0123456789", "ABCDEF0123456789",
        "page_view", "Page_View", "product_view", "created", "paid", "click", "impression", "organic", "app",
        "alipay", "home_banner", "\u0000", "é", "CNY\n", "0123456789abcdef\n", "0123456789abcdeF"};
    private static final String[] TIMES = {"2026-11-11T00:00:00Z", "2026-11-11T00:00:00.5+08:00",
        "2026-11-11t00:00:00z", "2026-11-11T00:00:00", "2026-11-11T00:00:00.1234567891Z", "2026-11-11T00:00:60Z",
        "2026-11-11T24:00:00Z", "2026-02-30T00:00:00Z", "0999-01-01T00:00:00Z", "2026-11-11T00:00:00-00:00",
        "2026-11-11T00:00:00+18:00", "2026-11-11T00:00:00+24:00", "2026-11-11 00:00:00Z", "2026-11-11T00:00:00.Z",
        "2026-11-11T00:00:00,5Z", "2026-11-11T00:00Z", "20261111T000000Z", "2026-11-11T00:00:00+0800",
        "2026-11-11T00:00:00.000000000+05:30", "2026-06-30T23:59:59.999Z"};
    private static final String[] NUMBERS = {"0", "-0", "-0.0", "0.00", "1", "-1", "1.5", "1.005", "100.00", "1e2",
        "1E+2", "1.0e-3", "2.0", "1e19", "123456789012345678901234567890", "2147483647", "2147483648", "99.99",
        "0.1", "-0.01", "1e-400", "9".repeat(40) + ".99"};

    /** One random change to one field, or to the line as text. */
    static String mutate(String json, SplittableRandom r) {
        ObjectNode node;
        try {
            JsonNode tree = Json.MAPPER.readTree(json);
            if (!(tree instanceof ObjectNode o)) {
                return json;
            }
            node = o;
        } catch (Exception malformedAlready) {
            return json;
        }
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        String field = fields.get(r.nextInt(fields.size()));
        switch (r.nextInt(12)) {
            case 0 -> node.remove(field);
            case 1 -> node.putNull(field);
            case 2 -> node.put(field, STRINGS[r.nextInt(STRINGS.length)]);
            case 3 -> node.put("event_time", TIMES[r.nextInt(TIMES.length)]);
            case 4 -> {
                String number = NUMBERS[r.nextInt(NUMBERS.length)];
                String target = pick(r, "amount", "discount", "item_count", "cost", field);
                return Json.write(node).replaceFirst("\\{", "{\"" + target + "\":" + number + ",")
                        .replaceFirst(",\"" + target + "\":[^,}]*", "");
            }
            case 5 -> node.put(field, r.nextInt(2) == 0 ? r.nextInt() : r.nextDouble());
            case 6 -> node.putArray(field).add(1);
            case 7 -> node.putObject(field).put("nested", true);
            case 8 -> {
                // a repeated key: the first or the second copy broken
                String text = Json.write(node);
                String value = node.get(field).isTextual() ? "\"" + STRINGS[r.nextInt(STRINGS.length)] + "\"" : "null";
                return r.nextInt(2) == 0 ? text.replaceFirst("\\{", "{\"" + field + "\":" + value + ",")
                        : text.substring(0, text.length() - 1) + ",\"" + field + "\":" + value + "}";
            }
            case 9 -> node.putObject("extra_" + r.nextInt(3)).putArray("deep").addObject().put("x", 1);
            case 10 -> {
                String text = Json.write(node);
                return pick(r, text + " trailing", text + "{}", " \n" + text, "[" + text + "]", text.replace(":", " : "));
            }
            default -> node.put(field, new BigInteger("9".repeat(25)));
        }
        return Json.write(node);
    }

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }
}
