package dev.pulse.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.PulseCli;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real money end to end: the UCI Online Retail slice in the test resources (3 days of invoices of a UK shop) goes
 * through {@code pulse import --format uci-online-retail} and {@code pulse replay} (batch, and streaming with the
 * same values), and every daily {@code gmv}, {@code net_gmv} and {@code refunded_amount} Pulse gives equals, to
 * the penny, a sum made here straight from the CSV, with none of the importer's code: GMV of the invoices of the
 * day, net GMV of the same invoices less the cancellations matched to each (same customer, latest invoice at or
 * before the cancellation, never below zero), and the money of the day's cancellations. The slice has both
 * cancellations matched to an invoice (net GMV falls below GMV) and unmatched ones (which change no net GMV).
 */
@Timeout(300)
class UciOnlineRetailReplayTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    private static final String GMV = "gmv/day{channel=organic, currency=GBP}@";
    private static final String NET_GMV = "net_gmv/day{channel=organic, currency=GBP}@";
    private static final String REFUNDED = "refunded_amount/day{channel=organic, currency=GBP}@";

    @TempDir
    static Path dir;

    /** One invoice of the CSV: its lines summed exactly, its earliest time (London, as written). */
    private static final class Invoice {
        final String number;
        LocalDateTime time;
        String customer = "";
        BigDecimal total = BigDecimal.ZERO;

        Invoice(String number) {
            this.number = number;
        }

        boolean isOrder() {
            return !number.startsWith("C") && total.signum() > 0;
        }

        boolean isRefund() {
            return number.startsWith("C") && total.signum() < 0;
        }
    }

    private static final Map<LocalDate, BigDecimal> gmv = new TreeMap<>();
    private static final Map<LocalDate, BigDecimal> netGmv = new TreeMap<>();
    private static final Map<LocalDate, BigDecimal> refunded = new TreeMap<>();
    private static int unmatchedRefunds;
    private static int ordersRefundedBeyondTheirTotal;

    @BeforeAll
    static void importTheSliceAndSumItHere() throws Exception {
        Path csv = Path.of(UciOnlineRetailReplayTest.class
                .getResource("/uci-online-retail/online_retail_slice.csv").toURI());
        assertThat(PulseCli.commandLine().execute("import", "--format", "uci-online-retail",
                "--in", csv.toString(), "--out", dir.toString())).isZero();

        Map<String, Invoice> invoices = new LinkedHashMap<>();
        DateTimeFormatter date = DateTimeFormatter.ofPattern("M/d/yy H:mm");
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            List<String> f = split(line);
            assertThat(f).as(line).hasSize(8);
            Invoice invoice = invoices.computeIfAbsent(f.get(0), Invoice::new);
            invoice.total = invoice.total.add(new BigDecimal(f.get(3)).multiply(new BigDecimal(f.get(5))));
            LocalDateTime time = LocalDateTime.parse(f.get(4), date);
            if (invoice.time == null || time.isBefore(invoice.time)) {
                invoice.time = time;
            }
            if (invoice.customer.isEmpty()) {
                invoice.customer = f.get(6);
            }
        }

        // an invoice's net: its total less the cancellations matched to it
        Map<Invoice, BigDecimal> net = new LinkedHashMap<>();
        invoices.values().stream().filter(Invoice::isOrder).forEach(i -> net.put(i, i.total));
        Comparator<Invoice> latest = Comparator.comparing((Invoice i) -> i.time)
                .thenComparingLong(i -> Long.parseLong(i.number));
        for (Invoice c : invoices.values()) {
            if (!c.isRefund()) {
                continue;
            }
            refunded.merge(c.time.toLocalDate(), c.total.negate(), BigDecimal::add);
            Optional<Invoice> order = c.customer.isEmpty() ? Optional.empty() : net.keySet().stream()
                    .filter(o -> o.customer.equals(c.customer) && !o.time.isAfter(c.time)).max(latest);
            if (order.isPresent()) {
                net.merge(order.get(), c.total, BigDecimal::add); // c.total is negative
            } else {
                unmatchedRefunds++;
            }
        }
        net.forEach((order, value) -> {
            if (value.signum() < 0) {
                ordersRefundedBeyondTheirTotal++;
            }
            gmv.merge(order.time.toLocalDate(), order.total, BigDecimal::add);
            netGmv.merge(order.time.toLocalDate(), value.max(BigDecimal.ZERO), BigDecimal::add);
        });
    }

    /**
     * The fields of a CSV line: a comma inside double quotes is not a separator (the quotes are kept: only the
     * description has any, and it is not read).
     */
    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '"') {
                quoted = !quoted;
            } else if (line.charAt(i) == ',' && !quoted) {
                fields.add(line.substring(start, i).trim());
                start = i + 1;
            }
        }
        fields.add(line.substring(start).trim());
        return fields;
    }

    @Test
    void dailyGmvNetGmvAndRefundsEqualTheSumsOverTheCsvInBatchAndStreaming() throws Exception {
        Map<String, Double> batch = replay("batch");
        ValueDiff.assertSame(replay("streaming"), batch);
        // the window start as replay writes it: London midnight, with seconds, December's +00:00 as "Z"
        assertThat(batch.keySet().stream().filter(key -> key.startsWith(GMV))).containsExactly(
                GMV + "2010-12-01T00:00:00Z", GMV + "2010-12-02T00:00:00Z", GMV + "2010-12-03T00:00:00Z");

        Map<LocalDate, BigDecimal> pulseGmv = daily(batch, GMV);
        Map<LocalDate, BigDecimal> pulseNet = daily(batch, NET_GMV);
        Map<LocalDate, BigDecimal> pulseRefunded = daily(batch, REFUNDED);
        assertThat(gmv.keySet()).containsExactly(LocalDate.of(2010, 12, 1), LocalDate.of(2010, 12, 2),
                LocalDate.of(2010, 12, 3));
        assertThat(pulseGmv.keySet()).isEqualTo(gmv.keySet());
        assertThat(pulseNet.keySet()).isEqualTo(gmv.keySet());
        assertThat(pulseRefunded.keySet()).isEqualTo(gmv.keySet());
        for (LocalDate day : gmv.keySet()) {
            assertThat(pulseGmv.get(day)).as("gmv of " + day).isEqualByComparingTo(gmv.get(day));
            assertThat(pulseNet.get(day)).as("net_gmv of " + day).isEqualByComparingTo(netGmv.get(day));
            assertThat(pulseRefunded.get(day)).as("refunded_amount of " + day)
                    .isEqualByComparingTo(refunded.getOrDefault(day, BigDecimal.ZERO));
        }

        // the slice really exercises the correction: matched refunds lower net GMV, one of them below zero (so the
        // floor counts), and unmatched ones exist
        assertThat(gmv.keySet()).anyMatch(day -> pulseNet.get(day).compareTo(pulseGmv.get(day)) < 0);
        assertThat(ordersRefundedBeyondTheirTotal).isPositive();
        assertThat(unmatchedRefunds).isPositive();
    }

    /** Replays the imported orders alone in the shop's zone and currency; the final values by key. */
    private static Map<String, Double> replay(String execution) throws Exception {
        Path out = dir.resolve(execution + ".jsonl");
        assertThat(ReplayReconciliationTest.replay(List.of("--orders", dir.resolve("orders.jsonl").toString(),
                "--execution", execution, "--out", out.toString(),
                "-Dpulse.time-zone=Europe/London", "-Dpulse.currency=GBP"))).isZero();
        return ReplayReconciliationTest.values(out);
    }

    /**
     * One series' values by London day. Pulse sums whole pence in a long and writes pence / 100.0 as a double;
     * rounding that double to 2 decimals gives back those pence exactly, whatever digits Double.toString chooses,
     * so it is compared as BigDecimal, against the sum made here kept exact (not rounded: a stray fraction of a
     * penny in the CSV sums would fail the comparison rather than be hidden).
     */
    private static Map<LocalDate, BigDecimal> daily(Map<String, Double> values, String series) {
        Map<LocalDate, BigDecimal> days = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(series)) {
                LocalDate day = OffsetDateTime.parse(key.substring(series.length())).toLocalDate();
                days.put(day, BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP));
            }
        });
        return days;
    }
}
