package dev.pulse.importer;

import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Reads the Taobao "UserBehavior" CSV (user_id, item_id, category_id, behavior, unix seconds; no header, though a
 * header line some copies have is passed over) as Pulse
 * events, so a public multi-day clickstream can be replayed. pv, cart and fav become the click events
 * product_view, add_to_cart and favorite; buy becomes an order created and paid at the same moment, of one item
 * and an amount of 0, as the file says nothing of money (order counts, conversion and the funnel are real; GMV
 * from this file is not). The file has no channel, platform, session or device: channel organic, platform app,
 * the user as the device, one session per user and business day.
 */
public final class TaobaoUserBehavior {
    private static final Map<String, String> EVENT_TYPES =
            Map.of("pv", "product_view", "cart", "add_to_cart", "fav", "favorite");

    private final ZoneId businessZone;
    private final String currency;

    /** @param currency the reporting currency, so the orders are not dead-lettered for theirs */
    public TaobaoUserBehavior(ZoneId businessZone, String currency) {
        this.businessZone = businessZone;
        this.currency = currency;
    }

    /** The outcome of one line: a click, a purchase (its two order events), a header, or a line that does not fit. */
    public static final class Row {
        /** A first line of column names, as some copies of the file have. */
        static final Row HEADER = new Row(null, List.of(), null);

        public final ClickEvent click;
        public final List<OrderEvent> orders;
        public final String problem;

        /** Whether the line was a header: nothing to write, nothing wrong. */
        public boolean header() {
            return this == HEADER;
        }

        private Row(ClickEvent click, List<OrderEvent> orders, String problem) {
            this.click = click;
            this.orders = orders;
            this.problem = problem;
        }
    }

    /** @param lineNumber 1-based; makes the event id, as the file has none */
    public Row read(String line, long lineNumber) {
        String[] f = (line.startsWith("\uFEFF") ? line.substring(1) : line).trim().split(",");
        if (f.length != 5) {
            return new Row(null, List.of(), "expected 5 columns, found " + f.length);
        }
        long seconds;
        try {
            seconds = Long.parseLong(f[4].trim());
        } catch (NumberFormatException e) {
            // a header names its columns: the timestamp's is a word, and so is the user's
            if (lineNumber == 1 && f[0].trim().matches("[A-Za-z_ ]+") && f[4].trim().matches("[A-Za-z_ ]+")) {
                return Row.HEADER;
            }
            return new Row(null, List.of(), "timestamp is not a number");
        }
        String behavior = f[3].trim();
        String type = EVENT_TYPES.get(behavior);
        if ((type == null && !behavior.equals("buy")) || f[0].isBlank() || f[1].isBlank() || f[2].isBlank()) {
            return new Row(null, List.of(), type == null && !behavior.equals("buy") ? "unknown behavior" : "empty id");
        }
        Instant time = Instant.ofEpochSecond(seconds);
        if (type == null) {
            String user = f[0].trim();
            return new Row(null, List.of(order(user, time, lineNumber, OrderEvent.CREATED),
                    order(user, time, lineNumber, OrderEvent.PAID)), null);
        }
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
        return new Row(c, List.of(), null);
    }

    private OrderEvent order(String user, Instant time, long lineNumber, String status) {
        OrderEvent o = new OrderEvent();
        o.eventId = "taobao-" + lineNumber + "-" + status;
        o.eventTime = time;
        o.orderId = "taobao-order-" + lineNumber;
        o.userId = user;
        o.status = status;
        o.amount = BigDecimal.ZERO;
        o.currency = currency;
        o.discount = BigDecimal.ZERO;
        o.itemCount = 1;
        o.paymentMethod = status.equals(OrderEvent.PAID) ? "alipay" : null;
        o.channel = "organic";
        o.platform = "app";
        o.deviceId = "taobao-" + user;
        return o;
    }
}
