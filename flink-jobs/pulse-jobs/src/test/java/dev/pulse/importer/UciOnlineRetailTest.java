package dev.pulse.importer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.PulseCli;
import dev.pulse.ingestion.EventParser;
import dev.pulse.json.Json;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UciOnlineRetailTest {
    private static final String HEADER =
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
    private static final EventParser<OrderEvent> PARSER = EventParser.forStream(Stream.ORDER, "GBP");

    private static UciOnlineRetail.Result read(String... lines) {
        UciOnlineRetail reader = new UciOnlineRetail();
        assertThat(reader.read(HEADER)).isNull();
        for (String line : lines) {
            assertThat(reader.read(line)).as(line).isNull();
        }
        return reader.result();
    }

    /** Pulse's ingestion takes the event as written (it reads 9.90 as 9.9: numerically equal). */
    private static void assertValid(OrderEvent o) {
        assertThat(PARSER.parse(Json.write(o)).event).usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).isEqualTo(o);
    }

    private static List<OrderEvent> withStatus(UciOnlineRetail.Result r, String status) {
        return r.events.stream().filter(o -> o.status.equals(status)).collect(Collectors.toList());
    }

    @Test
    void readsAnInvoiceOfSeveralLinesAsAnOrderCreatedAndPaidOfItsExactTotal() {
        UciOnlineRetail.Result r = read(
                "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/10 8:26,2.55,17850,United Kingdom",
                "536365,71053,WHITE METAL LANTERN,6,12/1/10 8:26,3.39,17850,United Kingdom",
                "536365,22752,SET 7 BABUSHKA NESTING BOXES,2,12/1/10 8:26,7.65,17850,United Kingdom");
        assertThat(r.events).extracting(o -> o.status).containsExactly("created", "paid");
        assertThat(r.events).extracting(o -> o.eventId).containsExactly("536365-created", "536365-paid");
        for (OrderEvent o : r.events) {
            assertThat(o.orderId).isEqualTo("536365");
            // 6 x 2.55 + 6 x 3.39 + 2 x 7.65 = 15.30 + 20.34 + 15.30
            assertThat(o.amount).isEqualByComparingTo("50.94");
            assertThat(o.amount.scale()).isEqualTo(2);
            assertThat(o.itemCount).isEqualTo(14);
            assertThat(o.eventTime).isEqualTo(Instant.parse("2010-12-01T08:26:00Z"));
            assertThat(o.userId).isEqualTo("17850");
            assertThat(o.deviceId).isEqualTo("uci-17850");
            assertThat(o.currency).isEqualTo("GBP");
            assertThat(o.channel).isEqualTo("organic");
            assertThat(o.platform).isEqualTo("web");
            assertThat(o.paymentMethod).isNull();
            assertValid(o);
        }
        assertThat(r.orders).isEqualTo(1);
        assertThat(r.skipped).isZero();
    }

    @Test
    void readsAQuotedDescriptionWithACommaAndAnEscapedQuote() {
        assertThat(CsvLine.split("536477,22041,\"RECORD FRAME 7\"\" SINGLE SIZE \",48,12/1/10 12:27,2.1,16210,"
                + "United Kingdom")).containsExactly("536477", "22041", "RECORD FRAME 7\" SINGLE SIZE ", "48",
                "12/1/10 12:27", "2.1", "16210", "United Kingdom");
        UciOnlineRetail.Result r = read(
                "536381,82567,\"AIRLINE LOUNGE,METAL SIGN\",2,12/1/10 9:41,2.1,15311,United Kingdom",
                "536381,21506,\"FANCY FONT BIRTHDAY CARD, \",24,12/1/10 9:41,0.42,15311,United Kingdom");
        OrderEvent paid = withStatus(r, "paid").get(0);
        assertThat(paid.amount).isEqualByComparingTo("14.28"); // 4.20 + 10.08
        assertThat(paid.itemCount).isEqualTo(26);
        assertThat(paid.userId).isEqualTo("15311");
    }

    @Test
    void matchesARefundToTheCustomersLatestEarlierOrderWhereverItsLinesAre() {
        UciOnlineRetail.Result r = read(
                "536100,A,X,1,12/1/10 10:00,5.00,17548,United Kingdom",
                "536199,A,X,1,12/1/10 11:00,5.00,17548,United Kingdom",
                "536201,A,X,1,12/1/10 11:00,5.00,17548,United Kingdom",
                // not an order (price 0), so not matched though it is later
                "536210,A,X,3,12/1/10 11:30,0,17548,United Kingdom",
                "C536250,22556,PLASTERS IN TIN CIRCUS PARADE,-2,12/1/10 12:00,1.25,17548,United Kingdom",
                // after the refund
                "536300,A,X,1,12/1/10 13:00,5.00,17548,United Kingdom",
                // another line of the refund, away from the first
                "C536250,22555,PLASTERS IN TIN STRONGMAN,-1,12/1/10 12:00,1.65,17548,United Kingdom");
        OrderEvent refund = withStatus(r, "refunded").get(0);
        // 11:00 is the latest order before 12:00, held by two invoices: the higher number wins
        assertThat(refund.orderId).isEqualTo("536201");
        assertThat(refund.eventId).isEqualTo("C536250-refunded");
        assertThat(refund.amount).isEqualByComparingTo("4.15"); // -(-2 x 1.25 - 1 x 1.65)
        assertThat(refund.itemCount).isEqualTo(3);
        assertThat(refund.eventTime).isEqualTo(Instant.parse("2010-12-01T12:00:00Z"));
        assertThat(refund.userId).isEqualTo("17548");
        assertValid(refund);
        assertThat(r.orders).isEqualTo(4);
        assertThat(r.refundsMatched).isEqualTo(1);
        assertThat(r.refundsUnmatched).isZero();
        assertThat(r.skipped).isEqualTo(1);
        // time order, created before paid, the refund between 11:00 and 13:00
        assertThat(r.events).extracting(o -> o.eventId).containsExactly("536100-created", "536100-paid",
                "536199-created", "536199-paid", "536201-created", "536201-paid", "C536250-refunded",
                "536300-created", "536300-paid");
    }

    @Test
    void aRefundWithoutAnEarlierOrderOfTheCustomerIsForAnOrderOfItsOwnNumber() {
        UciOnlineRetail.Result r = read(
                "C536400,21108,FAIRY CAKE FLANNEL,-4,12/1/10 9:00,2.95,12345,France",
                "536401,21108,FAIRY CAKE FLANNEL,4,12/1/10 10:00,2.95,12345,France");
        OrderEvent refund = withStatus(r, "refunded").get(0);
        assertThat(refund.orderId).isEqualTo("C536400");
        assertThat(refund.amount).isEqualByComparingTo("11.80");
        assertThat(refund.itemCount).isEqualTo(4);
        assertThat(r.refundsMatched).isZero();
        assertThat(r.refundsUnmatched).isEqualTo(1);
    }

    @Test
    void anInvoiceWithoutCustomerIsAGuestsAndItsRefundIsUnmatched() {
        UciOnlineRetail.Result r = read(
                "536501,22139,RETROSPOT TEA SET,2,12/1/10 9:00,4.95,,United Kingdom",
                "C536502,22139,RETROSPOT TEA SET,-2,12/1/10 9:30,4.95,,United Kingdom");
        OrderEvent paid = withStatus(r, "paid").get(0);
        assertThat(paid.userId).isEqualTo("guest-536501");
        assertThat(paid.deviceId).isEqualTo("uci-guest-536501");
        OrderEvent refund = withStatus(r, "refunded").get(0);
        assertThat(refund.userId).isEqualTo("guest-C536502");
        assertThat(refund.orderId).isEqualTo("C536502");
        assertThat(r.refundsUnmatched).isEqualTo(1);
        assertValid(refund);
    }

    @Test
    void skipsInvoicesWithNothingToOrderOrRefund() {
        UciOnlineRetail.Result r = read(
                "536414,22139,,56,12/1/10 11:52,0,,United Kingdom",
                "536589,21777,,-10,12/1/10 16:50,0,,United Kingdom",
                "536600,ADJ,ADJUSTMENT,1,12/1/10 17:00,-5.00,,United Kingdom",
                "C536601,D,Discount,-1,12/1/10 17:05,0,14527,United Kingdom");
        assertThat(r.events).isEmpty();
        assertThat(r.orders).isZero();
        assertThat(r.skipped).isEqualTo(4);
    }

    @Test
    void readsTheDateAsLondonTimeInWinterAndSummer() {
        UciOnlineRetail.Result r = read(
                "536365,A,X,1,12/1/10 8:26,1.00,17850,United Kingdom",
                "562000,A,X,1,6/1/11 9:00,1.00,17850,United Kingdom");
        assertThat(withStatus(r, "paid")).extracting(o -> o.eventTime)
                .containsExactly(Instant.parse("2010-12-01T08:26:00Z"), Instant.parse("2011-06-01T08:00:00Z"));
    }

    @Test
    void readsTheDateInEachFormTheFileIsFoundIn() {
        UciOnlineRetail.Result r = read(
                "536365,A,X,1,12/1/10 8:26,1.00,17850,United Kingdom",
                "536366,A,X,1,12/1/2010 8:27,1.00,17850,United Kingdom",
                "536367,A,X,1,2010-12-01 08:28:00,1.00,17850,United Kingdom",
                "536368,A,X,1,2010-12-01 08:29,1.00,17850,United Kingdom",
                "536369,A,X,1,2011-06-01T09:00:30,1.00,17850,United Kingdom");
        assertThat(withStatus(r, "paid")).extracting(o -> o.eventTime).containsExactly(
                Instant.parse("2010-12-01T08:26:00Z"), Instant.parse("2010-12-01T08:27:00Z"),
                Instant.parse("2010-12-01T08:28:00Z"), Instant.parse("2010-12-01T08:29:00Z"),
                Instant.parse("2011-06-01T08:00:30Z"));
    }

    @Test
    void findsTheColumnsByTheHeaderOfOnlineRetailIIAndOfADataFrameExport() {
        UciOnlineRetail two = new UciOnlineRetail();
        assertThat(two.read("Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country")).isNull();
        assertThat(two.read("489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,"
                + "United Kingdom")).isNull();
        assertThat(two.result().events).extracting(o -> o.amount).containsExactly(new BigDecimal("83.40"),
                new BigDecimal("83.40"));
        assertThat(two.result().events).extracting(o -> o.userId).containsOnly("13085");

        UciOnlineRetail frame = new UciOnlineRetail();
        assertThat(frame.read("," + HEADER)).isNull();
        assertThat(frame.read("0,536365,A,X,2,2010-12-01 08:26:00,2.50,17850.0,United Kingdom")).isNull();
        assertThat(frame.read("536365,A,X,2,2010-12-01 08:26:00,2.50,17850.0,United Kingdom"))
                .isEqualTo("expected 9 columns, found 8");
        assertThat(frame.result().events).extracting(o -> o.amount).containsOnly(new BigDecimal("5.00"));

        assertThat(new UciOnlineRetail().read("Invoice,InvoiceDate,Price")).isEqualTo(
                "a header without InvoiceNo (or Invoice), Quantity, UnitPrice (or Price) or CustomerID");
    }

    @Test
    void roundsOnlyTheInvoiceTotalHalfUpAndTakesTheEarliestTime() {
        UciOnlineRetail.Result r = read(
                "536700,A,X,1,12/1/10 16:58,0.125,17850.0,United Kingdom",
                "536700,B,Y,1,12/1/10 16:57,0.125,17850.0,United Kingdom",
                "536701,A,X,1,12/1/10 17:00,0.125,17850,United Kingdom");
        List<OrderEvent> paid = withStatus(r, "paid");
        // 0.25 exactly (two lines rounded first would make 0.26); 0.125 alone rounds half up to 0.13
        assertThat(paid).extracting(o -> o.amount).containsExactly(new BigDecimal("0.25"), new BigDecimal("0.13"));
        assertThat(paid.get(0).eventTime).isEqualTo(Instant.parse("2010-12-01T16:57:00Z"));
        assertThat(paid.get(0).userId).isEqualTo("17850");
    }

    @Test
    void saysWhatIsWrongWithALineThatDoesNotFit() {
        UciOnlineRetail reader = new UciOnlineRetail();
        assertThat(reader.read("536365,A,X,1,12/1/10 8:26,1.00,17850")).isEqualTo("expected 8 columns, found 7");
        assertThat(reader.read("536365,A,\"X,1,12/1/10 8:26,1.00,17850,United Kingdom"))
                .isEqualTo("unclosed quote in field 3");
        assertThat(reader.read("536365,A,X,one,12/1/10 8:26,1.00,17850,United Kingdom"))
                .isEqualTo("Quantity is not a whole number");
        assertThat(reader.read("536365,A,X,1,1 Dec 2010 08:26,1.00,17850,United Kingdom"))
                .isEqualTo("InvoiceDate is not m/d/yy H:MM, m/d/yyyy H:MM or yyyy-mm-dd HH:MM[:SS]");
        assertThat(reader.read("536365,A,X,1,13/1/10 8:26,1.00,17850,United Kingdom"))
                .isEqualTo("InvoiceDate is not m/d/yy H:MM, m/d/yyyy H:MM or yyyy-mm-dd HH:MM[:SS]");
        assertThat(reader.read("536365,A,X,1,12/1/10 8:26,1,00,17850,United Kingdom"))
                .isEqualTo("expected 8 columns, found 9");
        assertThat(reader.read("")).isNull();
        assertThat(reader.result().events).isEmpty();
    }

    /** The slice, against counts made here with a plain loop over the lines and no CSV parser. */
    @Test
    void readsTheSliceOfTheRealFileAsValidEventsInTheCountsOfASeparateCount() throws Exception {
        UciOnlineRetail reader = new UciOnlineRetail();
        Map<String, BigDecimal> totals = new HashMap<>();
        Map<String, String> customers = new HashMap<>();
        Map<String, LocalDateTime> times = new HashMap<>();
        DateTimeFormatter date = DateTimeFormatter.ofPattern("M/d/yy H:mm");
        Set<String> days = new HashSet<>();
        int lines = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(getClass().getResourceAsStream(
                "/uci-online-retail/online_retail_slice.csv"), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo(HEADER);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                assertThat(reader.read(line)).as(line).isNull();
                lines++;
                // only the description can hold commas: the invoice is before the first, the rest after it
                String invoice = line.substring(0, line.indexOf(','));
                String[] tail = line.split(",", -1);
                String[] last5 = List.of(tail).subList(tail.length - 5, tail.length).toArray(new String[0]);
                BigDecimal amount = new BigDecimal(last5[0]).multiply(new BigDecimal(last5[2]));
                totals.merge(invoice, amount, BigDecimal::add);
                customers.put(invoice, last5[3]);
                LocalDateTime time = LocalDateTime.parse(last5[1], date);
                times.merge(invoice, time, (a, b) -> a.isBefore(b) ? a : b);
                days.add(time.toLocalDate().toString());
            }
        }
        UciOnlineRetail.Result r = reader.result();

        long orders = totals.keySet().stream().filter(i -> !i.startsWith("C") && totals.get(i).signum() > 0).count();
        long refunds = totals.keySet().stream().filter(i -> i.startsWith("C") && totals.get(i).signum() < 0).count();
        long matchable = totals.keySet().stream().filter(c -> c.startsWith("C") && totals.get(c).signum() < 0
                && !customers.get(c).isEmpty()
                && totals.keySet().stream().anyMatch(o -> !o.startsWith("C") && totals.get(o).signum() > 0
                        && customers.get(o).equals(customers.get(c)) && !times.get(o).isAfter(times.get(c))))
                .count();
        BigDecimal gmv = totals.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("C") && e.getValue().signum() > 0)
                .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);

        assertThat(lines).isEqualTo(5756);
        assertThat(days).containsExactlyInAnyOrder("2010-12-01", "2010-12-02", "2010-12-03");
        assertThat(totals).hasSize(331);
        assertThat(r.orders).isEqualTo(orders).isEqualTo(286);
        assertThat(r.refundsMatched + r.refundsUnmatched).isEqualTo(refunds).isEqualTo(33);
        assertThat(r.refundsMatched).isEqualTo(matchable).isEqualTo(7);
        assertThat(r.skipped).isEqualTo(totals.size() - orders - refunds).isEqualTo(12);
        assertThat(withStatus(r, "created")).hasSize((int) orders);
        assertThat(withStatus(r, "paid").stream().map(o -> o.amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(gmv);
        for (OrderEvent refund : withStatus(r, "refunded")) {
            String order = refund.orderId;
            if (!order.startsWith("C")) {
                // a matched refund: an order of the same customer, not after it
                String c = refund.eventId.substring(0, refund.eventId.indexOf('-'));
                assertThat(customers.get(order)).isEqualTo(customers.get(c)).isEqualTo(refund.userId);
                assertThat(times.get(order)).isBeforeOrEqualTo(times.get(c));
            }
        }
        List<Instant> eventTimes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (OrderEvent o : r.events) {
            assertThat(PARSER.parse(Json.write(o)).deadLetter).as(o.toString()).isNull();
            assertThat(ids.add(o.eventId)).as(o.eventId).isTrue();
            eventTimes.add(o.eventTime);
        }
        assertThat(eventTimes).isSorted();
    }

    @Test
    void importWritesTheOrdersFileAndSaysHowEachInvoiceWasTaken(@TempDir Path out) throws Exception {
        Path slice = Path.of(getClass().getResource("/uci-online-retail/online_retail_slice.csv").toURI());
        StringWriter err = new StringWriter();
        CommandLine cli = PulseCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("import", "--format", "uci-online-retail", "--in", slice.toString(),
                "--out", out.toString());
        assertThat(code).isZero();
        assertThat(err.toString()).startsWith("import: 286 orders (created and paid), 7 refunds matched to an order,"
                + " 26 refunds unmatched, 12 invoices skipped (no positive amount), 0 lines not in the format;")
                .contains("-Dpulse.time-zone=Europe/London -Dpulse.currency=GBP");
        assertThat(Files.readAllLines(out.resolve("orders.jsonl"))).hasSize(2 * 286 + 33);
        assertThat(out.resolve("clicks.jsonl")).doesNotExist();
    }

    /** The widely copied CSV of the file is Latin-1: a pound sign in a description is one byte, not UTF-8. */
    @Test
    void importReadsAFileWithLatin1Descriptions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, (HEADER + "\n536365,A,POUND \u00a3 SIGN,2,12/1/2010 8:26,2.55,17850,United Kingdom\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        StringWriter err = new StringWriter();
        CommandLine cli = PulseCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("import", "--format", "uci-online-retail", "--in", file.toString(),
                "--out", dir.resolve("out").toString());
        assertThat(code).as(err.toString()).isZero();
        List<String> events = Files.readAllLines(dir.resolve("out").resolve("orders.jsonl"));
        assertThat(events).hasSize(2);
        assertThat(Json.read(events.get(1), OrderEvent.class).amount).isEqualByComparingTo("5.10");
    }

    @Test
    void anUnknownFormatListsTheKnownOnes(@TempDir Path out) {
        StringWriter err = new StringWriter();
        CommandLine cli = PulseCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("import", "--format", "csv", "--in", "x.csv", "--out", out.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown --format csv (known: taobao-user-behavior, uci-online-retail)");
    }
}
