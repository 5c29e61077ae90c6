package dev.pulse.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.pulse.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Loads the JSON Schemas (2020-12) from the classpath copy of schemas/ and validates documents against them. */
public final class EventSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    // "format": "date-time" is only an annotation in 2020-12 unless asserted
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private EventSchemas() {}

    /** A schema by file name, e.g. {@code click.schema.json}. */
    public static Schema load(String fileName) {
        String resource = "schemas/" + fileName;
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return REGISTRY.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A schema file as a JSON tree, for the fast reader that mirrors it. */
    public static JsonNode document(String fileName) {
        String resource = "schemas/" + fileName;
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Error> validate(Schema schema, JsonNode document) {
        return schema.validate(document);
    }
}
