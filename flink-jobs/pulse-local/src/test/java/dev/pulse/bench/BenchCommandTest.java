package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.local.LocalCli;
import dev.pulse.model.Stream;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

    /** What the input implies, from the generated events themselves. */
    /**
     * @param userValues the users values the SQL twin computes too
     * @param pulseOnlyValues the values only Pulse computes (PV per day and shares, MAU, stickiness, sessions, ...)
     * @param sqlUserRows the SQL twin's users rows: a minute's value once, a day's once per minute from its first
     *     event to its end (the CUMULATE window's steps)
     */
    record Expected(Map<Stream, Long> events, int pageViewWindows, int orderWindows, int orderDays, int userValues,
                    int pulseOnlyValues, long sqlUserRows) {
        long total() {
            return events.values().stream().mapToLong(Long::longValue).sum();
        }

        /** PV per minute; orders created, paid and GMV per minute and per business day; the users' values. */
        /** What the SQL twin computes as well. */
        long twinValues() {
            return pageViewWindows + 3L * orderWindows + 3L * orderDays + userValues;
        }
    }

    @BeforeAll
    void runTheBenchmark() throws Exception {
        int exit = LocalCli.commandLine().execute("bench", "--events", Integer.toString(EVENTS), "--rounds", "1",
                "--work-dir", dir.resolve("work").toString(), "--report", dir.resolve("BENCHMARKS.md").toString());
        assertThat(exit).as("exit code of pulse bench").isZero();
        results = Json.MAPPER.readTree(dir.resolve("work").resolve(ThroughputBench.RESULTS_FILE).toFile());
        expected = recompute();
    }

    @Test
    void everyVariantReadsEveryEvent() {
        for (JsonNode run : results.get("runs")) {
            long expectedRead = run.get("variant").asText().startsWith("sql")
                    // the SQL twin reads only the topics its metrics need
                    ? expected.events().get(Stream.CLICK) + expected.events().get(Stream.ORDER)
                    : expected.total();
            assertThat(run.get("source_records").asLong()).as(run.get("variant").asText()).isEqualTo(expectedRead);
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
    void theMetricsJobCommitsOneFinalValuePerSeriesAndWindow() {
        JsonNode pulse = outputs("pulse");
        assertThat(pulse.get(RunSpecs.METRICS).asLong()).isEqualTo(expected.twinValues() + expected.pulseOnlyValues());
        assertThat(pulse.get(RunSpecs.DEAD_LETTERS).asLong()).isZero();
    }

    @Test
    void theSqlTwinsCommitOneRowPerWindowAndAgreeWithPulse() {
        for (String variant : new String[] {"sql-tuned", "sql-plain"}) {
            assertThat(outputs(variant).get(RunSpecs.SQL_PAGE_VIEWS).asLong()).isEqualTo(expected.pageViewWindows());
            assertThat(outputs(variant).get(RunSpecs.SQL_ORDERS).asLong()).isEqualTo(expected.orderWindows());
            assertThat(outputs(variant).get(RunSpecs.SQL_ORDERS_DAY).asLong()).isEqualTo(expected.orderDays());
            assertThat(outputs(variant).get(RunSpecs.SQL_USERS).asLong()).isEqualTo(expected.sqlUserRows());
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
        assertThat(tasks).anyMatch(t -> t.startsWith("admit-click")).anyMatch(t -> t.startsWith("admit-order"))
                // no family reads ad events yet: they are validated, not admitted
                .noneMatch(t -> t.startsWith("admit-ad"));
    }

    @Test
    void theReportHoldsTheTablesAndTheProfile() throws Exception {
        String report = Files.readString(dir.resolve("BENCHMARKS.md"));
        assertThat(report).contains(BenchReport.BEGIN, BenchReport.END, "| pulse ", "| sql-plain ", "pulse/raw = ",
                "sql-tuned: identical", "top frame (self)", "bytes per id");
        assertThat(results.get("profile").get("samples").asLong()).isPositive();
    }

    private JsonNode outputs(String variant) {
        for (JsonNode run : results.get("runs")) {
            if (run.get("variant").asText().equals(variant)) {
                return run.get("output_records");
            }
        }
        throw new AssertionError("no run of " + variant);
    }

    /** Counts and windows straight from the generated lines (the catalog's PV: page_view and product_view). */
    private static Expected recompute() throws Exception {
        TrafficGenerator generator = new TrafficGenerator(BenchInput.generator(1, 1000));
        Map<Stream, Long> events = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            events.put(s, 0L);
        }
        Set<String> pageViewWindows = new HashSet<>();
        Set<String> orderWindows = new HashSet<>();
        Set<String> orderDays = new HashSet<>();
        // UV per minute by channel and platform and in total, DAU per day by platform and in total, new users
        Set<String> userValues = new HashSet<>();
        // per day: PV by channel and platform, PV and visitor shares by channel; per minute: PV share by channel
        Set<String> pulseOnly = new HashSet<>();
        Set<String> activeDays = new HashSet<>();
        Set<String> registrationDays = new HashSet<>();
        Set<String> userMinuteValues = new HashSet<>();
        Map<String, Long> firstMinuteOfDayValue = new HashMap<>();
        Map<String, Long> dayEndMinute = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            GeneratedEvent e = generator.next();
            events.merge(e.stream(), 1L, Long::sum);
            JsonNode json = Json.MAPPER.readTree(e.json());
            long minute = Instant.parse(json.get("event_time").asText()).toEpochMilli() / 60_000;
            if (e.stream() == Stream.CLICK) {
                String type = json.get("event_type").asText();
                String day = Instant.parse(json.get("event_time").asText()).atZone(SHANGHAI).toLocalDate().toString();
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
                pulseOnly.add("uv_share " + day + json.get("channel").asText());
                if (type.equals("register")) {
                    userValues.add("new_users " + day);
                    registrationDays.add(day);
                }
                if (type.equals("page_view") || type.equals("product_view")) {
                    pageViewWindows.add(minute + json.get("channel").asText() + "|" + json.get("platform").asText());
                    pulseOnly.add("page_views " + day + json.get("channel").asText() + "|"
                            + json.get("platform").asText());
                    pulseOnly.add("pv_share " + minute + json.get("channel").asText());
                    pulseOnly.add("pv_share " + day + json.get("channel").asText());
                }
            } else if (e.stream() == Stream.ORDER) {
                String status = json.get("status").asText();
                if (status.equals("created") || status.equals("paid")) {
                    orderWindows.add(minute + json.get("channel").asText());
                    orderDays.add(Instant.parse(json.get("event_time").asText()).atZone(SHANGHAI).toLocalDate()
                            + json.get("channel").asText());
                }
            }
        }
        assertThat(events.values()).as("events per stream").allMatch(n -> n > 0);
        // within one business day: every visitor's sessions end on it, and no retention cohort is measured
        assertThat(activeDays).hasSize(1);
        int perActiveDay = 2 /* mau, stickiness */ + 3 /* sessions, bounce rate, session length */;
        int newUsersZero = activeDays.size() - registrationDays.size();
        long dayRows = firstMinuteOfDayValue.entrySet().stream()
                .mapToLong(e -> dayEndMinute.get(e.getKey()) - e.getValue()).sum();
        return new Expected(events, pageViewWindows.size(), orderWindows.size(), orderDays.size(), userValues.size(),
                pulseOnly.size() + perActiveDay * activeDays.size() + newUsersZero, userMinuteValues.size() + dayRows);
    }
}
