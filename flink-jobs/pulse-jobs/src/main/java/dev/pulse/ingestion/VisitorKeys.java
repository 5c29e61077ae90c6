package dev.pulse.ingestion;

import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.InputEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The visitor each event belongs to: the user id, or the device for an anonymous visitor ({@code u:} and
 * {@code d:} prefixes keep the two apart). Ingestion keys every stream by it, so the first keyed operator each
 * event reaches is already the visitor's, and per-visitor work downstream needs no further shuffle.
 */
public final class VisitorKeys {
    private VisitorKeys() {}

    public static String of(InputEvent event) {
        if (event instanceof ClickEvent c) {
            return c.visitorId();
        }
        if (event instanceof OrderEvent o) {
            return user(o.userId); // an order always has a user
        }
        AdEvent a = (AdEvent) event;
        return a.userId != null ? user(a.userId) : device(a.deviceId);
    }

    /** The key of a user's visitor. */
    public static String user(String userId) {
        return "u:" + userId;
    }

    /** The key of the anonymous visitor of a device. */
    public static String device(String deviceId) {
        return "d:" + deviceId;
    }

    @SuppressWarnings("unchecked")
    public static <T extends InputEvent> KeySelector<T, String> selector(Stream stream) {
        return (KeySelector<T, String>) (KeySelector<InputEvent, String>) VisitorKeys::of;
    }
}
