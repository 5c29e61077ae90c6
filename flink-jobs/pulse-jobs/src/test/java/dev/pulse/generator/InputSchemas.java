package dev.pulse.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The input schemas from the classpath, validated as the engine does: draft 2020-12 with format assertions. */
final class InputSchemas {
    private final Map<Stream, Schema> schemas = new EnumMap<>(Stream.class);

    InputSchemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        for (Stream s : Stream.values()) {
            try (InputStream in = InputSchemas.class.getClassLoader().getResourceAsStream(s.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("schema not on the classpath: " + s.schemaResource());
                }
                schemas.put(s, registry.getSchema(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    List<Error> validate(Stream stream, JsonNode node) {
        return schemas.get(stream).validate(node);
    }
}
