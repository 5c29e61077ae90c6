package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.config.PulseOptions;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.local.LocalCli;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Recompute;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pulse bench} at a tiny size, as a user runs it: every variant read every event and delivered exactly what
 * the input implies (recomputed here from the same generated events), so no variant can silently measure
 * nothing. Timings are not checked: speed belongs to the benchmark itself.
 */
@Timeout(600)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchCommandTest {
    /** A few minutes of traffic: every stream, orders included, has events. */
    private static final int EVENTS = 20_000;
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir
    static Path dir;

    private JsonNode results;
    private Expected expected;

    /**
     * What the input implies, from the generated events themselves.
     *
     * @param userValues the users values the SQL twin computes too
     * @param orderWindows the minutes and channels with any order event
     * @param orderDays the business days and channels with any order event
     * @param paidDays the business days with an order paid, over all channels: the twin's AOV rows
     * @param netGmvDays the business days and channels of orders' payments: the twin's net GMV rows
     * @param adCtrWindows the minutes and campaigns with an impression: the twin's CTR rows
     * @param adSpendWindows the minutes and combinations of campaign, creative and placement with any ad event: the
     *     twin's spend rows
     * @param pulseValues every value Pulse computes, as pulse-jobs' recomputation of every family gives them
     * @param sqlUserRows the SQL twin's users rows: a minute's value once, a day's once per minute from its first
     *     event to its end (the CUMULATE window's steps)
     * @param visitors the distinct visitors of each stream, added up: what the {@code keyed} variant passes on
     * @param sessionDays the business days with a session's last event: the twin's sessions rows
     */
    record Expected(Map<Stream, Long> events, int pageViewWindows, int orderWindows, int orderDays, int paidDays,
                    int netGmvDays, int adCtrWindows, int adSpendWindows, int userValues, int pulseValues,
                    long sqlUserRows, long visitors, int sessionDays) {
        long total() {
            return events.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * What the SQL twin computes as well: PV per minute; orders created, paid and GMV per minute and per business
         * day; AOV per business day; net GMV per business day; the users' values; sessions, bounce rate and session
         * length per business day; ad CTR and spend per minute.
         */
        long twinValues() {
            return pageViewWindows + 3L * orderWindows + 3L * orderDays + paidDays + netGmvDays + userValues
                    + 3L * sessionDays + adCtrWindows + adSpendWindows;
        }
    }

    @BeforeAll
    void runTheBenchmark() throws Exception {
        StringWriter said = new StringWriter();
        CommandLine cli = LocalCli.commandLine();
        cli.setErr(new PrintWriter(said, true));
        int exit = cli.execute("bench", "--events", Integer.toString(EVENTS), "--rounds", "1",
                "--work-dir", dir.resolve("work").toString(), "--report", dir.resolve("BENCHMARKS.md").toString());
        // the run logs it names live in the temporary folder: their ends go into the failure itself
        assertThat(exit).as(() -> "exit code of pulse bench, which said: " + said + runLogEnds()).isZero();
        results = Json.MAPPER.readTree(dir.resolve("work").resolve(ThroughputBench.RESULTS_FILE).toFile());
        expected = recompute();
    }

    @Test
    void everyVariantReadsEveryEvent() {
        for (JsonNode run : results.get("runs")) {
            assertThat(run.get("source_records").asLong()).as(run.get("variant").asText())
                    .isEqualTo(expected.total());
            assertThat(run.get("last_record_millis").asLong()).isGreaterThan(run.get("first_record_millis").asLong());
        }
        assertThat(results.get("runs")).hasSize(Variant.values().length);
    }

    @Test
    void rawAndParseDiscardEveryEventAndParseFindsNoDeadLetters() {
        assertThat(outputs("raw").get("events (discarded)").asLong()).isEqualTo(EVENTS);
        assertThat(outputs("parse").get("events (discarded)").asLong()).isEqualTo(EVENTS);
        assertThat(outputs("parse").get("dead letters (discarded)").asLong()).isZero();
    }

    @Test
    void keyedPassesOnTheFirstEventOfEachVisitorOfEachStream() {
        assertThat(outputs("keyed").get(VariantJobs.VISITORS_DISCARDED).asLong()).isEqualTo(expected.visitors());
        assertThat(outputs("keyed").get("dead letters (discarded)").asLong()).isZero();
    }

    @Test
    void theMetricsJobCommitsOneFinalValuePerSeriesAndWindow() {
        JsonNode pulse = outputs("pulse");
        assertThat(pulse.get(RunSpecs.METRICS).asLong()).isEqualTo(expected.pulseValues());
        assertThat(pulse.get(RunSpecs.DEAD_LETTERS).asLong()).isZero();
    }

    @Test
    void theSqlTwinsCommitOneRowPerWindowAndAgreeWithPulse() {
        for (String variant : new String[] {"sql-tuned", "sql-plain"}) {
            assertThat(outputs(variant).get(RunSpecs.SQL_PAGE_VIEWS).asLong()).isEqualTo(expected.pageViewWindows());
            assertThat(outputs(variant).get(RunSpecs.SQL_ORDERS).asLong()).isEqualTo(expected.orderWindows());
            assertThat(outputs(variant).get(RunSpecs.SQL_ORDERS_DAY).asLong()).isEqualTo(expected.orderDays());
            assertThat(outputs(variant).get(RunSpecs.SQL_ORDERS_DAY_TOTAL).asLong()).isEqualTo(expected.paidDays());
            // an upsert topic: the rows it ends with, one per day and channel; changes at least as many
            assertThat(outputs(variant).get(RunSpecs.SQL_NET_GMV_DAY).asLong()).isEqualTo(expected.netGmvDays());
            assertThat(outputs(variant).get(RunSpecs.SQL_NET_GMV_DAY + " (changes)").asLong())
                    .isGreaterThanOrEqualTo(expected.netGmvDays());
            assertThat(outputs(variant).get(RunSpecs.SQL_USERS).asLong()).isEqualTo(expected.sqlUserRows());
            assertThat(outputs(variant).get(RunSpecs.SQL_SESSIONS_DAY).asLong()).isEqualTo(expected.sessionDays());
            assertThat(outputs(variant).get(RunSpecs.SQL_AD_CTR).asLong()).isEqualTo(expected.adCtrWindows());
            assertThat(outputs(variant).get(RunSpecs.SQL_AD_SPEND).asLong()).isEqualTo(expected.adSpendWindows());
        }
        JsonNode agreement = results.get("agreement");
        assertThat(agreement).hasSize(2);
        for (JsonNode a : agreement) {
            assertThat(a.get("differing").asInt()).isZero();
            assertThat(a.get("pulse_values").asLong()).isEqualTo(expected.twinValues());
            assertThat(a.get("sql_values").asInt()).isEqualTo(a.get("pulse_values").asInt());
        }
    }

    @Test
    void theStateRunReportsTheAdmissionStateOfEveryStreamAFamilyReads() {
        JsonNode state = results.get("state");
        assertThat(state.get("error").isNull()).isTrue();
        Set<String> tasks = new HashSet<>();
        state.get("state").forEach(t -> {
            tasks.add(t.get("task").asText());
            assertThat(t.get("bytes").asLong()).isPositive();
        });
        // the ads family reads ad events: they are admitted too
        assertThat(tasks).anyMatch(t -> t.startsWith("admit-click")).anyMatch(t -> t.startsWith("admit-order"))
                .anyMatch(t -> t.startsWith("admit-ad"));
    }

    @Test
    void theReportHoldsTheTablesAndTheProfile() throws Exception {
        String report = Files.readString(dir.resolve("BENCHMARKS.md"));
        assertThat(report).contains(BenchReport.BEGIN, BenchReport.END, "| pulse ", "| sql-plain ", "pulse/raw = ",
                "parse/raw = ", "keyed/raw = ", "sql-tuned: identical", "top frame (self)", "bytes per id");
        assertThat(results.get("profile").get("samples").asLong()).isPositive();
    }

    /** What each run printed last, and the errors its Flink log has. */
    private static String runLogEnds() {
        try (var files = Files.walk(dir)) {
            StringBuilder ends = new StringBuilder();
            for (Path log : files.filter(p -> p.getFileName().toString().matches("run\\.log|flink\\.log"))
                    .sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                List<String> shown = log.getFileName().toString().equals("run.log")
                        ? lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        : lines.stream().filter(l -> l.contains("ERROR")).limit(20).toList();
                ends.append("\n--- ").append(dir.relativize(log)).append('\n').append(String.join("\n", shown));
            }
            return ends.toString();
        } catch (Exception e) {
            return "\n(run logs unreadable: " + e + ")";
        }
    }

    private JsonNode outputs(String variant) {
        for (JsonNode run : results.get("runs")) {
            if (run.get("variant").asText().equals(variant)) {
                return run.get("output_records");
            }
        }
        throw new AssertionError("no run of " + variant);
    }

    /**
     * Counts and windows straight from the generated lines (the catalog's PV: page_view and product_view); every
     * value Pulse computes from pulse-jobs' recomputation of every family over the same events (the bench's input
     * has no faults: every event is valid and unique).
     */
    private static Expected recompute() throws Exception {
        TrafficGenerator generator = new TrafficGenerator(BenchInput.generator(1, 1000));
        Map<Stream, Long> events = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            events.put(s, 0L);
        }
        List<ClickEvent> clicks = new ArrayList<>();
        List<OrderEvent> orders = new ArrayList<>();
        List<AdEvent> ads = new ArrayList<>();
        Set<String> pageViewWindows = new HashSet<>();
        Set<String> orderWindows = new HashSet<>();
        Set<String> orderDays = new HashSet<>();
        Set<String> paidDays = new HashSet<>();
        Set<String> adCtrWindows = new HashSet<>();
        Set<String> adSpendWindows = new HashSet<>();
        // each order's first payment: its business day and channel
        Map<String, Instant> firstPaid = new HashMap<>();
        Map<String, String> paidChannel = new HashMap<>();
        // UV per minute by channel and platform and in total, DAU per day by platform and in total, new users
        Set<String> userValues = new HashSet<>();
        Set<String> activeDays = new HashSet<>();
        Set<String> userMinuteValues = new HashSet<>();
        Map<String, Long> firstMinuteOfDayValue = new HashMap<>();
        Map<String, Long> dayEndMinute = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            GeneratedEvent e = generator.next();
            events.merge(e.stream(), 1L, Long::sum);
            JsonNode json = Json.MAPPER.readTree(e.json());
            Instant time = Instant.parse(json.get("event_time").asText());
            long minute = time.toEpochMilli() / 60_000;
            String day = time.atZone(SHANGHAI).toLocalDate().toString();
            if (e.stream() == Stream.CLICK) {
                clicks.add(Json.read(e.json(), ClickEvent.class));
                String type = json.get("event_type").asText();
                userValues.add("uv " + minute + json.get("channel").asText() + "|" + json.get("platform").asText());
                userValues.add("uv_total " + minute);
                userValues.add("dau " + day + json.get("platform").asText());
                userValues.add("dau_total " + day);
                userMinuteValues.add("uv " + minute + json.get("channel").asText() + "|" + json.get("platform").asText());
                userMinuteValues.add("uv_total " + minute);
                List<String> dayValues = new ArrayList<>(List.of("dau " + day + json.get("platform").asText(),
                        "dau_total " + day));
                if (type.equals("register")) {
                    dayValues.add("new_users " + day);
                }
                for (String value : dayValues) {
                    firstMinuteOfDayValue.merge(value, minute, Math::min);
                    dayEndMinute.put(value, LocalDate.parse(day).plusDays(1).atStartOfDay(SHANGHAI).toInstant()
                            .toEpochMilli() / 60_000);
                }
                activeDays.add(day);
                if (type.equals("register")) {
                    userValues.add("new_users " + day);
                }
                if (type.equals("page_view") || type.equals("product_view")) {
                    pageViewWindows.add(minute + json.get("channel").asText() + "|" + json.get("platform").asText());
                }
            } else if (e.stream() == Stream.AD) {
                ads.add(Json.read(e.json(), AdEvent.class));
                String campaign = json.get("campaign_id").asText();
                adSpendWindows.add(minute + " " + campaign + "|" + json.get("creative_id").asText() + "|"
                        + json.get("placement").asText());
                if (json.get("kind").asText().equals("impression")) {
                    adCtrWindows.add(minute + " " + campaign);
                }
            } else if (e.stream() == Stream.ORDER) {
                orders.add(Json.read(e.json(), OrderEvent.class));
                String status = json.get("status").asText();
                String channel = json.get("channel").asText();
                orderWindows.add(minute + channel);
                orderDays.add(day + channel);
                if (status.equals("paid")) {
                    paidDays.add(day);
                    String order = json.get("order_id").asText();
                    if (!firstPaid.containsKey(order) || time.isBefore(firstPaid.get(order))) {
                        firstPaid.put(order, time);
                        paidChannel.put(order, channel);
                    }
                }
            }
        }
        assertThat(events.values()).as("events per stream").allMatch(n -> n > 0);
        // within one business day, as the traffic of a few minutes is: every session ends in it
        assertThat(activeDays).hasSize(1);
        Set<String> netGmvDays = new HashSet<>();
        firstPaid.forEach((order, time) ->
                netGmvDays.add(time.atZone(SHANGHAI).toLocalDate() + paidChannel.get(order)));
        long dayRows = firstMinuteOfDayValue.entrySet().stream()
                .mapToLong(e -> dayEndMinute.get(e.getKey()) - e.getValue()).sum();
        int pulseValues = Recompute.all(clicks, orders, ads, PulseOptions.CURRENCY.defaultValue(), SHANGHAI).size();
        long visitors = distinct(clicks, c -> c.userId != null ? "u:" + c.userId : "d:" + c.deviceId)
                + distinct(orders, o -> o.userId)
                + distinct(ads, a -> a.userId != null ? "u:" + a.userId : "d:" + a.deviceId);
        return new Expected(events, pageViewWindows.size(), orderWindows.size(), orderDays.size(), paidDays.size(),
                netGmvDays.size(), adCtrWindows.size(), adSpendWindows.size(), userValues.size(), pulseValues,
                userMinuteValues.size() + dayRows, visitors, activeDays.size());
    }

    private static <T> long distinct(List<T> events, Function<T, String> visitor) {
        return events.stream().map(visitor).distinct().count();
    }
}
