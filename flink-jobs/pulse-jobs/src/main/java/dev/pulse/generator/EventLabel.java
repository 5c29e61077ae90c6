package dev.pulse.generator;

import dev.pulse.json.Json;

/**
 * One line of the labels output: which line was injected and how. A duplicate shares its original's event id;
 * it is the later of the two lines with that id.
 */
public record EventLabel(String eventId, String stream, String label) {

    static EventLabel of(GeneratedEvent e) {
        return new EventLabel(e.eventId(), e.stream().code(), e.label());
    }

    String toJson() {
        return Json.write(this);
    }
}
