package dev.pulse.users;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.ingestion.EventSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels and platforms a click can have, in the order of the click schema's enums (the single source of
 * what they are), so a visitor's state can keep "seen with this channel and platform" as one bit each.
 */
final class ClickDimensions {
    static final List<String> CHANNELS;
    static final List<String> PLATFORMS;

    static {
        JsonNode properties = EventSchemas.document("click.schema.json").get("properties");
        CHANNELS = values(properties.get("channel"));
        PLATFORMS = values(properties.get("platform"));
        if (CHANNELS.size() * PLATFORMS.size() > 62) {
            throw new IllegalStateException("more channel and platform pairs than bits in a long");
        }
    }

    private ClickDimensions() {}

    /** The bit of a channel and platform pair; bit 63 stands for "any". */
    static int pair(String channel, String platform) {
        return CHANNELS.indexOf(channel) * PLATFORMS.size() + PLATFORMS.indexOf(platform);
    }

    private static List<String> values(JsonNode property) {
        List<String> values = new ArrayList<>();
        property.get("enum").forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }
}
