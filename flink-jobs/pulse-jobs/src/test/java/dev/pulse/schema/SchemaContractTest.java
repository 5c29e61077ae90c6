package dev.pulse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.pulse.ingestion.EventSchemas;
import dev.pulse.ingestion.Parsed;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.AdEventSerializer;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.ClickEventSerializer;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.OrderEventSerializer;
import dev.pulse.replay.ReplayRecord;
import dev.pulse.testing.SchemaExamples;
import dev.pulse.time.Period;
import dev.pulse.window.PartialSums;
import dev.pulse.window.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schemas in schemas/ and the Java types must not drift; every example says what it claims. */
class SchemaContractTest {
    private static final List<String> SCHEMAS = List.of("click", "order", "ad", "metric", "alert", "dead-letter");

    @TestFactory
    Stream<DynamicTest> everyExampleIsValidOrInvalidAsItsNameSays() {
        return SCHEMAS.stream().flatMap(name -> {
            Schema schema = EventSchemas.load(name + ".schema.json");
            List<Path> examples = SchemaExamples.examples(name);
            assertThat(examples).as("examples of " + name).anyMatch(SchemaExamples::isValid)
                    .anyMatch(p -> !SchemaExamples.isValid(p));
            return examples.stream().map(example -> DynamicTest.dynamicTest(name + "/" + example.getFileName(), () -> {
                List<Error> errors = schema.validate(Json.MAPPER.readTree(SchemaExamples.read(example)));
                if (SchemaExamples.isValid(example)) {
                    assertThat(errors).isEmpty();
                } else {
                    assertThat(errors).isNotEmpty();
                }
            }));
        });
    }

    @Test
    void theJarCarriesTheSameSchemasAsTheSchemasFolder() throws Exception {
        for (String name : SCHEMAS) {
            String file = name + ".schema.json";
            try (var in = getClass().getClassLoader().getResourceAsStream("schemas/" + file)) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(Files.readString(SchemaExamples.schemasDir().resolve(file)));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "click, dev.pulse.model.ClickEvent",
        "order, dev.pulse.model.OrderEvent",
        "ad, dev.pulse.model.AdEvent",
        "metric, dev.pulse.model.MetricRecord",
        "alert, dev.pulse.model.AlertRecord",
        "dead-letter, dev.pulse.model.DeadLetter"
    })
    void javaTypesHaveExactlyTheSchemaProperties(String schema, Class<?> type) throws Exception {
        JsonNode schemaNode = Json.MAPPER.readTree(SchemaExamples.schemasDir().resolve(schema + ".schema.json").toFile());
        Set<String> schemaProperties = new TreeSet<>();
        for (Iterator<String> it = schemaNode.get("properties").fieldNames(); it.hasNext(); ) {
            schemaProperties.add(it.next());
        }
        assertThat(jsonProperties(type)).isEqualTo(schemaProperties);
    }

    @Test
    void fullyPopulatedOutputRecordsValidateAgainstTheirSchemas() {
        MetricRecord metric = new MetricRecord("page_views", Period.MINUTE, java.util.Map.of("channel", "organic", "platform", "app"),
                "2026-11-11T00:00:00+08:00", "2026-11-11T00:01:00+08:00", 12, true);
        DeadLetter deadLetter = new DeadLetter(dev.pulse.model.Stream.ORDER,
                dev.pulse.model.DeadLetterReason.TOO_LATE, "late", "{}", "2026-11-11T00:00:00+08:00");
        AlertRecord alert = new AlertRecord();
        alert.alertId = "a";
        alert.rule = "burst";
        alert.severity = "warning";
        alert.key = "user:1";
        alert.windowStart = "2026-11-11T00:00:00+08:00";
        alert.windowEnd = "2026-11-11T00:01:00+08:00";
        alert.firedAt = "2026-11-11T00:00:30+08:00";
        alert.evidence.orderIds = List.of("o1", "o2");
        alert.evidence.count = 2;
        alert.evidence.amount = new java.math.BigDecimal("10.50");
        alert.evidence.detail = "two orders";
        assertValid("metric", metric);
        assertValid("dead-letter", deadLetter);
        assertValid("alert", alert);
    }

    @Test
    void recordsAndStateAreFlinkPojosWithoutKryo() {
        for (Class<?> type : List.of(MetricRecord.class, DeadLetter.class, PartialSums.class, ReplayRecord.class,
                Tally.class)) {
            PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
        }
        // generic: checked through the concrete type the sources produce
        assertThat(new TypeHint<Parsed<ClickEvent>>() {}.getTypeInfo()
                .getClass().getSimpleName()).isEqualTo("PojoTypeInfo");
    }

    @Test
    void inputEventsHaveTheirOwnSerializers() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertThat(TypeInformation.of(ClickEvent.class).createSerializer(config))
                .isInstanceOf(ClickEventSerializer.class);
        assertThat(TypeInformation.of(OrderEvent.class).createSerializer(config))
                .isInstanceOf(OrderEventSerializer.class);
        assertThat(TypeInformation.of(AdEvent.class).createSerializer(config)).isInstanceOf(AdEventSerializer.class);
        // inside the generic record the sources produce, too
        PojoTypeInfo<Parsed<AdEvent>> parsed = (PojoTypeInfo<Parsed<AdEvent>>) new TypeHint<Parsed<AdEvent>>() {}
                .getTypeInfo();
        assertThat(parsed.getTypeAt("event").createSerializer(config)).isInstanceOf(AdEventSerializer.class);
    }

    private static void assertValid(String schema, Object record) {
        assertThat(EventSchemas.load(schema + ".schema.json").validate(Json.MAPPER.valueToTree(record)))
                .as(schema).isEmpty();
    }

    private static Set<String> jsonProperties(Class<?> type) {
        JavaType javaType = Json.MAPPER.constructType(type);
        return Json.MAPPER.getSerializationConfig().introspect(javaType).findProperties().stream()
                .filter(BeanPropertyDefinition::couldSerialize)
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
