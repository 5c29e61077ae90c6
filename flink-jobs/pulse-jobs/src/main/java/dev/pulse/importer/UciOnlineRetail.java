package dev.pulse.importer;

import dev.pulse.model.OrderEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the UCI "Online Retail" CSV (Chen, Sain &amp; Guo, 2012: the invoice lines of a UK online gift shop; header
 * InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country; without a header the
 * columns are taken in that order, with one they are found by name, "Online Retail II"'s too) as Pulse order events,
 * so real baskets, real money and real cancellations can be replayed.
 * <ul>
 * <li>Lines are grouped by InvoiceNo wherever they are in the file. Money is exact: a line is Quantity &times;
 *   UnitPrice, an invoice the sum of its lines, rounded half up to cents only there (no UnitPrice of the shared
 *   file has more than two decimals, so the rounding changes none of its values), in GBP. An invoice's time is
 *   its earliest InvoiceDate (m/d/yy H:MM in the shared slice; m/d/yyyy and yyyy-mm-dd hh:mm[:ss] are read too;
 *   one invoice of the slice spans two minutes), always read as
 *   Europe/London local time, whatever {@code pulse.time-zone} is: that is the shop's clock. A time the spring
 *   change skips is moved an hour on; the repeated autumn hour is taken as its first (summer time) pass.
 * <li>An invoice whose number does not start with C and whose amount is positive is an order: {@code created}
 *   then {@code paid} at its time, order_id the InvoiceNo, item_count the sum of its positive quantities (at
 *   least 1). One with an amount of 0 or less (zero-price lines, stock adjustments) is skipped.
 * <li>A C invoice (a cancellation: negative quantities) is {@code refunded} at its own time, of minus its
 *   total, item_count the sum of |Quantity| (at least 1). Its order_id is the order it is matched to: the same
 *   customer's latest order at or before it (ties: the highest InvoiceNo). Without a CustomerID or such an
 *   order it is its own number, an order Pulse never saw paid: the refund counts and corrects nothing. A C
 *   invoice whose total is 0 or more is skipped (there is nothing to refund).
 * <li>user_id is the CustomerID ("17850.0" read as "17850"; an invoice takes the first one its lines give), or
 *   guest-InvoiceNo without one. The file has no channel, device, payment or discount: channel organic,
 *   platform web, device uci-user_id, no payment method, discount 0. Event ids are InvoiceNo-status.
 * </ul>
 * The events come out in time order (then by InvoiceNo, created before paid), so a streaming replay fits too.
 */
public final class UciOnlineRetail {
    public static final ZoneId ZONE = ZoneId.of("Europe/London");
    public static final String CURRENCY = "GBP";
    /**
     * The forms InvoiceDate comes in: the shared slice's m/d/yy, the widely copied CSV's m/d/yyyy, and what a
     * spreadsheet library writes when it converts UCI's own .xlsx (yyyy-mm-dd hh:mm:ss).
     */
    private static final List<DateTimeFormatter> DATES = Stream.of("M/d/yy H:mm[:ss]", "M/d/yyyy H:mm[:ss]",
            "yyyy-MM-dd H:mm[:ss]", "yyyy-MM-dd'T'H:mm[:ss]")
            .map(p -> DateTimeFormatter.ofPattern(p, Locale.ROOT)).toList();
    static final String DATE_FORMS = "m/d/yy H:MM, m/d/yyyy H:MM or yyyy-mm-dd HH:MM[:SS]";
    /** Where each column is without a header (and with the UCI file's own): the file's order. */
    private static final Columns UCI_ORDER = new Columns(8, 0, 3, 4, 5, 6);
    /** Numeric order for the file's all-digit invoice numbers (no leading zeros), without parsing them. */
    private static final Comparator<String> NUMBERS = Comparator.comparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());
    private static final Comparator<Invoice> BY_TIME = Comparator.comparing((Invoice i) -> i.time)
            .thenComparing(i -> i.number, NUMBERS);

    private final Map<String, Invoice> invoices = new HashMap<>();
    private Columns columns = UCI_ORDER;

    /**
     * The columns read, by position, and how many a line has. A header names them: the UCI file's (InvoiceNo,
     * UnitPrice, CustomerID), "Online Retail II"'s (Invoice, Price, Customer ID), with an unnamed index column
     * first as a data-frame library writes it, in any order.
     */
    private record Columns(int count, int invoice, int quantity, int date, int price, int customer) {
        /** The header's columns, or null if the line is not a header (it names no InvoiceDate). */
        static Columns of(List<String> header) {
            // asked of every line: a data line is told apart without building anything
            if (header.stream().noneMatch(h -> h.trim().equalsIgnoreCase("InvoiceDate"))) {
                return null;
            }
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                at.put(header.get(i).replace(" ", "").trim().toLowerCase(Locale.ROOT), i);
            }
            return new Columns(header.size(), at.getOrDefault("invoiceno", at.getOrDefault("invoice", -1)),
                    at.getOrDefault("quantity", -1), at.get("invoicedate"),
                    at.getOrDefault("unitprice", at.getOrDefault("price", -1)), at.getOrDefault("customerid", -1));
        }

        boolean complete() {
            return invoice >= 0 && quantity >= 0 && price >= 0 && customer >= 0;
        }
    }

    /** One invoice's lines, summed. */
    private static final class Invoice {
        final String number;
        Instant time;
        String customer = "";
        BigDecimal total = BigDecimal.ZERO;
        long positiveQuantity;
        long absoluteQuantity;

        Invoice(String number) {
            this.number = number;
        }

        boolean cancellation() {
            return number.startsWith("C");
        }
    }

    /** What the file came to: the events, in time order, and how each invoice was taken. */
    public static final class Result {
        public final List<OrderEvent> events;
        public final long orders;
        public final long refundsMatched;
        public final long refundsUnmatched;
        public final long skipped;

        private Result(List<OrderEvent> events, long orders, long refundsMatched, long refundsUnmatched,
                       long skipped) {
            this.events = events;
            this.orders = orders;
            this.refundsMatched = refundsMatched;
            this.refundsUnmatched = refundsUnmatched;
            this.skipped = skipped;
        }
    }

    /** Adds one line of the file (the header and blank lines are passed over); returns null, or what is wrong. */
    public String read(String line) {
        if (line.isBlank()) {
            return null;
        }
        List<String> f;
        try {
            f = CsvLine.split(line.startsWith("\uFEFF") ? line.substring(1) : line);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        Columns header = Columns.of(f);
        if (header != null) {
            if (!header.complete()) {
                return "a header without InvoiceNo (or Invoice), Quantity, UnitPrice (or Price) or CustomerID";
            }
            columns = header;
            return null;
        }
        if (f.size() != columns.count()) {
            return "expected " + columns.count() + " columns, found " + f.size();
        }
        String number = f.get(columns.invoice()).trim();
        if (number.isEmpty()) {
            return "empty InvoiceNo";
        }
        long quantity;
        BigDecimal price;
        Instant time;
        try {
            quantity = Long.parseLong(f.get(columns.quantity()).trim());
        } catch (NumberFormatException e) {
            return "Quantity is not a whole number";
        }
        try {
            price = new BigDecimal(f.get(columns.price()).trim());
        } catch (NumberFormatException e) {
            return "UnitPrice is not a number";
        }
        LocalDateTime local = localTime(f.get(columns.date()).trim());
        if (local == null) {
            return "InvoiceDate is not " + DATE_FORMS;
        }
        // atZone: a skipped time moves on by the gap, a repeated one takes the earlier offset
        time = local.atZone(ZONE).toInstant();
        Invoice invoice = invoices.computeIfAbsent(number, Invoice::new);
        invoice.total = invoice.total.add(price.multiply(BigDecimal.valueOf(quantity)));
        invoice.positiveQuantity += Math.max(quantity, 0);
        invoice.absoluteQuantity += Math.abs(quantity);
        if (invoice.time == null || time.isBefore(invoice.time)) {
            invoice.time = time;
        }
        if (invoice.customer.isEmpty()) {
            invoice.customer = customer(f.get(columns.customer()).trim());
        }
        return null;
    }

    /** The events of every invoice read so far. */
    public Result result() {
        List<Invoice> all = new ArrayList<>(invoices.values());
        all.sort(BY_TIME);
        Map<String, List<Invoice>> ordersByCustomer = new HashMap<>();
        for (Invoice i : all) {
            if (!i.cancellation() && i.total.signum() > 0 && !i.customer.isEmpty()) {
                ordersByCustomer.computeIfAbsent(i.customer, c -> new ArrayList<>()).add(i);
            }
        }
        List<OrderEvent> events = new ArrayList<>();
        long orders = 0;
        long matched = 0;
        long unmatched = 0;
        long skipped = 0;
        for (Invoice i : all) {
            BigDecimal amount = (i.cancellation() ? i.total.negate() : i.total).setScale(2, RoundingMode.HALF_UP);
            if (amount.signum() <= 0) {
                skipped++;
            } else if (!i.cancellation()) {
                events.add(event(i, i.number, OrderEvent.CREATED, amount, i.positiveQuantity));
                events.add(event(i, i.number, OrderEvent.PAID, amount, i.positiveQuantity));
                orders++;
            } else {
                Optional<Invoice> order = ordersByCustomer.getOrDefault(i.customer, List.of()).stream()
                        .filter(o -> !o.time.isAfter(i.time)).max(BY_TIME);
                if (order.isPresent()) {
                    matched++;
                } else {
                    unmatched++;
                }
                String orderId = order.map(o -> o.number).orElse(i.number);
                events.add(event(i, orderId, OrderEvent.REFUNDED, amount, i.absoluteQuantity));
            }
        }
        return new Result(events, orders, matched, unmatched, skipped);
    }

    private static LocalDateTime localTime(String text) {
        for (DateTimeFormatter form : DATES) {
            try {
                return LocalDateTime.parse(text, form);
            } catch (DateTimeParseException e) {
                // the next form
            }
        }
        return null;
    }

    /** "17850", or "17850" for "17850.0" (the form a spreadsheet export gives). */
    private static String customer(String id) {
        return id.matches("\\d+\\.0+") ? id.substring(0, id.indexOf('.')) : id;
    }

    private static OrderEvent event(Invoice invoice, String orderId, String status, BigDecimal amount, long items) {
        String user = invoice.customer.isEmpty() ? "guest-" + invoice.number : invoice.customer;
        OrderEvent o = new OrderEvent();
        o.eventId = invoice.number + "-" + status;
        o.eventTime = invoice.time;
        o.orderId = orderId;
        o.userId = user;
        o.status = status;
        o.amount = amount;
        o.currency = CURRENCY;
        o.discount = BigDecimal.ZERO;
        o.itemCount = (int) Math.min(Integer.MAX_VALUE, Math.max(1, items));
        o.channel = "organic";
        o.platform = "web";
        o.deviceId = "uci-" + user;
        return o;
    }
}
