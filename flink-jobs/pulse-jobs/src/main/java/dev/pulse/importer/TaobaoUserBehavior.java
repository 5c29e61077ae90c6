package dev.pulse.importer;

import dev.pulse.model.ClickEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * Reads the Taobao "UserBehavior" CSV (user_id, item_id, category_id, behavior, unix seconds; no header) as click
 * events, so a public multi-day clickstream can be replayed. pv, cart and fav become product_view, add_to_cart
 * and favorite; buy carries no amount, so it cannot become an order and is skipped. The file has no channel,
 * platform, session or device: channel organic, platform app, the user as the device, one session per user
 * and business day.
 */
public final class TaobaoUserBehavior {
    private static final Map<String, String> EVENT_TYPES =
            Map.of("pv", "product_view", "cart", "add_to_cart", "fav", "favorite");

    private final ZoneId businessZone;

    public TaobaoUserBehavior(ZoneId businessZone) {
        this.businessZone = businessZone;
    }

    /** The outcome of one line: a click, a skipped purchase, or a line that does not fit the format. */
    public static final class Row {
        public final ClickEvent click;
        public final boolean purchase;
        public final String problem;

        private Row(ClickEvent click, boolean purchase, String problem) {
            this.click = click;
            this.purchase = purchase;
            this.problem = problem;
        }
    }

    /** @param lineNumber 1-based; makes the event id, as the file has none */
    public Row read(String line, long lineNumber) {
        String[] f = line.trim().split(",");
        if (f.length != 5) {
            return new Row(null, false, "expected 5 columns, found " + f.length);
        }
        long seconds;
        try {
            seconds = Long.parseLong(f[4].trim());
        } catch (NumberFormatException e) {
            return new Row(null, false, "timestamp is not a number");
        }
        String behavior = f[3].trim();
        if (behavior.equals("buy")) {
            return new Row(null, true, null);
        }
        String type = EVENT_TYPES.get(behavior);
        if (type == null || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
            return new Row(null, false, type == null ? "unknown behavior" : "empty id");
        }
        Instant time = Instant.ofEpochSecond(seconds);
        ClickEvent c = new ClickEvent();
        c.eventId = "taobao-" + lineNumber;
        c.eventTime = time;
        c.userId = f[0].trim();
        c.sessionId = c.userId + "-" + LocalDate.ofInstant(time, businessZone);
        c.eventType = type;
        c.page = "/item/" + f[1].trim();
        c.itemId = f[1].trim();
        c.categoryId = f[2].trim();
        c.channel = "organic";
        c.platform = "app";
        c.deviceId = "taobao-" + c.userId;
        return new Row(c, false, null);
    }
}
