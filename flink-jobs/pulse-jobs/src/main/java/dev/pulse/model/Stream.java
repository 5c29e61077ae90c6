package dev.pulse.model;

import java.util.Locale;

/** The three input streams, each with its schema file. */
public enum Stream {
    CLICK(ClickEvent.class),
    ORDER(OrderEvent.class),
    AD(AdEvent.class);

    private final Class<?> eventType;

    Stream(Class<?> eventType) {
        this.eventType = eventType;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Class<?> eventType() {
        return eventType;
    }

    /** Classpath location of the stream's JSON Schema, copied from the root schemas/ folder at build time. */
    public String schemaResource() {
        return "schemas/" + code() + ".schema.json";
    }
}
