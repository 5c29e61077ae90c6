package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Events;
import dev.pulse.testing.SchemaExamples;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class EventParserTest {

    @TestFactory
    List<DynamicTest> everyInputExampleParsesOrIsDeadLetteredWithTheReasonItsNameGives() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Stream stream : Stream.values()) {
            EventParser<Object> parser = EventParser.forStream(stream, "CNY");
            for (Path example : SchemaExamples.examples(stream.code())) {
                tests.add(DynamicTest.dynamicTest(stream.code() + "/" + example.getFileName(), () -> {
                    String raw = SchemaExamples.read(example);
                    Parsed<Object> parsed = parser.parse(raw);
                    if (SchemaExamples.isValid(example)) {
                        assertThat(parsed.deadLetter).isNull();
                        assertThat(parsed.event).isInstanceOf(stream.eventType());
                    } else {
                        assertThat(parsed.event).isNull();
                        assertThat(parsed.deadLetter.reason.code()).isEqualTo(SchemaExamples.expectedReason(example));
                        assertThat(parsed.deadLetter.stream).isEqualTo(stream.code());
                        assertThat(parsed.deadLetter.raw).isEqualTo(raw);
                        assertThat(parsed.deadLetter.detail).isNotBlank();
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void readsAValidOrderExactly() {
        Parsed<OrderEvent> parsed = EventParser.<OrderEvent>forStream(Stream.ORDER, "CNY").parse(
                "{\"event_id\":\"o-1\",\"event_time\":\"2026-11-11T00:05:00.5+08:00\",\"order_id\":\"ord-1\","
                        + "\"user_id\":\"u-1\",\"status\":\"paid\",\"amount\":199.90,\"currency\":\"CNY\","
                        + "\"item_count\":2,\"channel\":\"search\",\"device_id\":\"d-1\"}");
        OrderEvent o = parsed.event;
        assertThat(o.eventTime).isEqualTo(Instant.parse("2026-11-10T16:05:00.500Z"));
        assertThat(o.amount).isEqualByComparingTo(new BigDecimal("199.90"));
        assertThat(o.itemCount).isEqualTo(2);
        assertThat(o.channel).isEqualTo("search");
        assertThat(o.discount).isNull();
    }

    @Test
    void anEventDatedBeforeTheEpochIsAnInvalidValue() {
        String click = "{\"event_id\":\"c-1\",\"event_time\":\"%s\",\"session_id\":\"s-1\","
                + "\"event_type\":\"page_view\",\"channel\":\"organic\",\"platform\":\"app\",\"device_id\":\"d-1\"}";
        EventParser<ClickEvent> parser = EventParser.forStream(Stream.CLICK, "CNY");
        Parsed<ClickEvent> old = parser.parse(String.format(click, "1969-12-31T23:59:59.999Z"));
        assertThat(old.deadLetter.reason).isEqualTo(DeadLetterReason.INVALID_VALUE);
        assertThat(old.deadLetter.detail).contains("before 1970");
        assertThat(parser.parse(String.format(click, "1970-01-01T08:00:00+08:00")).event).isNotNull();
    }

    @Test
    void brokenJsonIsMalformed() {
        EventParser<Object> parser = EventParser.forStream(Stream.CLICK, "CNY");
        for (String raw : new String[] {"{\"event_id\": \"c-", "[1,2]", "null", "", "42", "not json at all"}) {
            DeadLetter d = parser.parse(raw).deadLetter;
            assertThat(d).as(raw).isNotNull();
            assertThat(d.reason).as(raw).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        }
        assertThat(parser.parse((byte[]) null).deadLetter.reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void moneyInAnotherCurrencyIsUnsupported() {
        OrderEvent o = Events.order("1", Instant.parse("2026-11-11T00:00:00Z"), "paid", "10.00", "organic");
        o.currency = "USD";
        DeadLetter d = EventParser.forStream(Stream.ORDER, "CNY").parse(Events.json(o)).deadLetter;
        assertThat(d.reason).isEqualTo(DeadLetterReason.UNSUPPORTED_CURRENCY);
        assertThat(d.detail).isEqualTo("currency USD is not the reporting currency CNY");
    }

    @Test
    void fractionsOfACentAreInvalid() {
        OrderEvent o = Events.order("1", Instant.parse("2026-11-11T00:00:00Z"), "paid", "10.005", "organic");
        DeadLetter d = EventParser.forStream(Stream.ORDER, "CNY").parse(Events.json(o)).deadLetter;
        assertThat(d.reason).isEqualTo(DeadLetterReason.INVALID_VALUE);
        assertThat(d.detail).isEqualTo("amount 10.005 has more than two decimal places");
    }

    @Test
    void aHugeInputIsKeptOnlyInPart() {
        String raw = "{\"x\":\"" + "a".repeat(200_000) + "\"";
        DeadLetter d = EventParser.forStream(Stream.CLICK, "CNY").parse(raw).deadLetter;
        assertThat(d.raw).hasSize(DeadLetter.MAX_RAW_CHARS);
    }

    @Test
    void mangledInputNeverThrows() {
        // seeded mutations of a valid event: every outcome must be an event or a dead letter
        String valid = SchemaExamples.read(SchemaExamples.examples("order").stream()
                .filter(SchemaExamples::isValid).findFirst().orElseThrow());
        EventParser<Object> parser = EventParser.forStream(Stream.ORDER, "CNY");
        SplittableRandom random = new SplittableRandom(7);
        int deadLetters = 0;
        for (int i = 0; i < 2_000; i++) {
            StringBuilder s = new StringBuilder(valid);
            for (int m = random.nextInt(1, 4); m > 0; m--) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0: s.deleteCharAt(at); break;
                    case 1: s.insert(at, (char) random.nextInt(32, 127)); break;
                    default: s.setCharAt(at, (char) random.nextInt(32, 127));
                }
            }
            Parsed<Object> parsed = parser.parse(s.toString());
            assertThat(parsed.isValid() ^ parsed.deadLetter != null).isTrue();
            deadLetters += parsed.deadLetter != null ? 1 : 0;
        }
        assertThat(deadLetters).isGreaterThan(1_000);
    }
}
