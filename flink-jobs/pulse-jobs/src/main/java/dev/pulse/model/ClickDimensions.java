package dev.pulse.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.ingestion.EventSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels and platforms a click can have, in the order of the click schema's enums (the single source of
 * what they are), so a visitor's state can keep "seen with this channel and platform" as one bit each.
 */
public final class ClickDimensions {
    public static final List<String> CHANNELS;
    public static final List<String> PLATFORMS;
    /** "channel|platform" of each pair, made once rather than per event. */
    private static final String[] PAIR_KEYS;

    static {
        JsonNode properties = EventSchemas.document("click.schema.json").get("properties");
        CHANNELS = values(properties.get("channel"));
        PLATFORMS = values(properties.get("platform"));
        if (CHANNELS.size() * PLATFORMS.size() > 31 || CHANNELS.size() > 16 || PLATFORMS.size() > 8) {
            throw new IllegalStateException("more channels or platforms than a visitor's state has bits for");
        }
        PAIR_KEYS = new String[CHANNELS.size() * PLATFORMS.size()];
        for (int c = 0; c < CHANNELS.size(); c++) {
            for (int p = 0; p < PLATFORMS.size(); p++) {
                PAIR_KEYS[pair(c, p)] = CHANNELS.get(c) + "|" + PLATFORMS.get(p);
            }
        }
    }

    private ClickDimensions() {}

    /** The bit of a channel and platform pair (at most 31 of them, so they fit an int with one bit to spare). */
    public static int pair(int channel, int platform) {
        return channel * PLATFORMS.size() + platform;
    }

    /** The pair of a click's channel and platform (both already checked against the schema's enums). */
    public static int pairOf(String channel, String platform) {
        return pair(CHANNELS.indexOf(channel), PLATFORMS.indexOf(platform));
    }

    /** The pair as a key of sums: {@code channel|platform}. */
    public static String pairKey(int pair) {
        return PAIR_KEYS[pair];
    }

    private static List<String> values(JsonNode property) {
        List<String> values = new ArrayList<>();
        property.get("enum").forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }
}
