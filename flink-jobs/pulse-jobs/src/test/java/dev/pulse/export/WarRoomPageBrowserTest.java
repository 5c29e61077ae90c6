package dev.pulse.export;

import static dev.pulse.export.TestRecords.channel;
import static dev.pulse.export.TestRecords.channelCurrency;
import static dev.pulse.export.TestRecords.metric;
import static dev.pulse.testing.KafkaTestBroker.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.risk.RiskRule;
import dev.pulse.risk.Severity;
import dev.pulse.testing.Exposition;
import dev.pulse.testing.KafkaTestBroker;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The war-room page in a real headless Chromium against a real exporter reading a real KRaft broker: the numbers
 * on the screen are the ones {@code /metrics} serves (summed and formatted here, independently of the page),
 * ECharts drew one point per closed minute, newer records show up without a reload, and a page without data says
 * so. Needs Debian's {@code chromium} and {@code chromium-driver} ({@code .ci/install-servers.sh}); fails, never
 * skips, without them. Leaves a screenshot of the page with data in {@code target/war-room/war-room.png}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WarRoomPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final double TARGET = 120_000;
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final String NO_VALUE = "\u2014";
    private static final ObjectMapper DOUBLES = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static KafkaTestBroker broker;

    /** The exporter's clock: noon in Shanghai (half the business day gone), in the past so nothing goes stale. */
    private final TestClock clock = new TestClock(pastNoonInShanghai());

    @BeforeAll
    static void startBroker() throws Exception {
        requireChromium(); // fails with the install instruction before anything starts
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void thePageShowsWhatMetricsServesAndFollowsNewRecordsWithoutAReload() throws Exception {
        Topics t = topics("war-room-data");
        Instant noon = clock.instant();
        List<Instant> minutes = List.of(noon.minusSeconds(240), noon.minusSeconds(180), noon.minusSeconds(120),
                noon.minusSeconds(60));
        try (MetricsExporter exporter = MetricsExporter.start(settings(t, OptionalDouble.of(TARGET)), clock);
             Producer<String, String> sink = broker.transactionalProducer("war-room-sink");
             Producer<String, String> live = broker.producer()) {
            // three closed minutes, each seen by the exporter before the next: one chart point each
            double[][] perMinute = {{10, 4, 1_000.25, 500.5}, {15, 5, 1_800.75, 420}, {6, 3, 700, 310.25}};
            for (int i = 0; i < 3; i++) {
                writeMinute(sink, t, minutes.get(i), perMinute[i]);
                awaitHistory(exporter, i + 1);
            }
            commit(sink, List.of(new ProducerRecord<>(t.metrics, metric(MetricDefinition.RISK_ALERTS,
                    alert(RiskRule.BURST, Severity.WARNING), minutes.get(2), 2, true))));
            writeToday(live, t, 45_000.25, 8_100.5, 270, 41, 3, 1);
            await().atMost(DEADLINE).until(() -> sum(Exposition.samples(Exposition.scrape(exporter.port())),
                    MetricDefinition.RISK_ALERTS.finalName(), "") == 2);

            WebDriver browser = startBrowser();
            try {
                browser.get("http://127.0.0.1:" + exporter.port() + "/");
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(text(browser, "status"))
                        .isEqualTo("Updated 12:00:00 (Asia/Shanghai)"));
                Map<String, String> shown = Exposition.samples(Exposition.scrape(exporter.port()));
                // what /metrics serves is what was written ...
                assertThat(sum(shown, MetricDefinition.GMV_DAY.runningName(), "currency=\"CNY\""))
                        .isEqualTo(45_000.25 + 8_100.5);
                assertThat(sum(shown, MetricDefinition.ORDERS_PAID_DAY.runningName(), "")).isEqualTo(270 + 41);
                // ... and the page shows exactly that, formatted as it formats numbers
                assertPageShows(browser, shown);
                assertThat(tileState(browser, "tile-pace")).isEqualTo("warn"); // 53,100.75 / 60,000 behind
                assertThat(tileState(browser, "tile-payment")).isEqualTo("warn"); // 94.3 %: 90-95 %
                assertThat(tileState(browser, "tile-conversion")).isEqualTo("good"); // 4.37 % in 3-5 %
                assertThat(tileState(browser, "tile-risk")).isEqualTo("bad"); // alerts in the last minute
                assertThat(browser.findElement(By.cssSelector("#risk-alerts tr[data-rule='burst']"))
                        .getAttribute("class")).isEqualTo("firing");
                assertCharts(browser, minutes.subList(0, 3), List.of(14.0, 20.0, 9.0),
                        List.of(1_500.75, 2_220.75, 1_010.25));
                saveScreenshot(browser);

                // newer records, no reload: a fourth minute, higher totals, a new alert in the last minute
                ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
                writeMinute(sink, t, minutes.get(3), new double[] {20, 7, 2_500.5, 990});
                commit(sink, List.of(new ProducerRecord<>(t.metrics, metric(MetricDefinition.RISK_ALERTS,
                        alert(RiskRule.SHARED_DEVICE, Severity.CRITICAL), minutes.get(3), 1, true))));
                writeToday(live, t, 61_000.75, 11_000.25, 301, 52, 3, 2);
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(text(browser, "gmv-today"))
                        .isEqualTo("CNY 72,001.00"));
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(chartData(browser, "orders-chart"))
                        .hasSize(4));
                assertPageShows(browser, Exposition.samples(Exposition.scrape(exporter.port())));
                assertThat(text(browser, "gmv-pace")).isEqualTo("1.20\u00d7");
                assertThat(tileState(browser, "tile-pace")).isEqualTo("good");
                assertThat(browser.findElement(By.cssSelector("#risk-alerts tr[data-rule='shared_device']"))
                        .getAttribute("class")).isEqualTo("firing");
                assertCharts(browser, minutes, List.of(14.0, 20.0, 9.0, 27.0),
                        List.of(1_500.75, 2_220.75, 1_010.25, 3_490.5));
                assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                        .as("the page was not reloaded").isEqualTo(true);
                assertNoConsoleErrors(browser);
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void withoutDataThePageSaysSoAndShowsNoNumberUntilOneArrives() throws Exception {
        Topics t = topics("war-room-empty");
        try (MetricsExporter exporter = MetricsExporter.start(settings(t, OptionalDouble.empty()), clock);
             Producer<String, String> live = broker.producer()) {
            WebDriver browser = startBrowser();
            try {
                browser.get("http://127.0.0.1:" + exporter.port() + "/war-room");
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(text(browser, "status"))
                        .isEqualTo("No data yet from the exporter \u00b7 checked 12:00:00 (Asia/Shanghai)"));
                for (String id : List.of("gmv-today", "gmv-pace", "orders-paid-today", "dau-today",
                        "visit-to-order-today", "payment-success-today", "risk-alerts-today-total",
                        "risk-alerts-last-minute-total")) {
                    assertThat(text(browser, id)).as(id).isEqualTo(NO_VALUE);
                }
                for (String tile : List.of("tile-gmv", "tile-pace", "tile-orders", "tile-dau", "tile-conversion",
                        "tile-payment", "tile-risk")) {
                    assertThat(tileState(browser, tile)).as(tile).isEqualTo("no-data");
                }
                assertThat(text(browser, "gmv-pace-detail")).isEqualTo("no GMV target given (--gmv-target)");
                assertThat(browser.findElement(By.tagName("body")).getText()).doesNotContain("NaN")
                        .doesNotContain("undefined").doesNotContain("null");
                assertThat(browser.findElements(By.cssSelector("#orders-chart canvas"))).isNotEmpty();
                assertThat(chartData(browser, "orders-chart")).isEmpty();

                live.send(new ProducerRecord<>(t.live, metric(MetricDefinition.DAU_TOTAL, Map.of(), clock.instant(),
                        49_300, false))).get();
                await().atMost(DEADLINE).untilAsserted(() -> assertThat(text(browser, "dau-today"))
                        .isEqualTo("49,300"));
                assertThat(text(browser, "status")).isEqualTo("Updated 12:00:00 (Asia/Shanghai)");
                assertThat(text(browser, "orders-paid-today")).isEqualTo(NO_VALUE);
                assertNoConsoleErrors(browser);
            } finally {
                browser.quit();
            }
        }
    }

    /** Each tile's text against the sums of what /metrics serves, in the page's formats. */
    private void assertPageShows(WebDriver browser, Map<String, String> shown) {
        double gmv = sum(shown, MetricDefinition.GMV_DAY.runningName(), "currency=\"CNY\"");
        double target = sum(shown, "pulse_gmv_target", "");
        double dayElapsed = Duration.between(ZonedDateTime.ofInstant(clock.instant(), SHANGHAI).toLocalDate()
                .atStartOfDay(SHANGHAI).toInstant(), clock.instant()).toSeconds() / 86_400.0;
        assertThat(target).isEqualTo(TARGET);
        assertThat(dayElapsed).isEqualTo(0.5);
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(text(browser, "gmv-today")).isEqualTo(money(gmv));
            assertThat(text(browser, "gmv-pace")).isEqualTo(String.format(Locale.US, "%.2f\u00d7",
                    gmv / (target * dayElapsed)));
            assertThat(text(browser, "gmv-pace-detail")).isEqualTo("target " + money(target) + " \u00b7 50.0 % of "
                    + "the day elapsed");
            assertThat(text(browser, "orders-paid-today")).isEqualTo(
                    integer(sum(shown, MetricDefinition.ORDERS_PAID_DAY.runningName(), "")));
            assertThat(text(browser, "dau-today")).isEqualTo(integer(sum(shown, "ecom_dau_total_today", "")));
            assertThat(text(browser, "visit-to-order-today")).isEqualTo(String.format(Locale.US, "%.2f %%",
                    100 * sum(shown, "ecom_visit_to_order_ratio_today", "")));
            assertThat(text(browser, "payment-success-today")).isEqualTo(String.format(Locale.US, "%.1f %%",
                    100 * sum(shown, "ecom_payment_success_ratio_today", "")));
            assertThat(text(browser, "risk-alerts-today-total"))
                    .isEqualTo(integer(sum(shown, "ecom_risk_alerts_today", "")));
            assertThat(text(browser, "risk-alerts-last-minute-total"))
                    .isEqualTo(integer(sum(shown, "ecom_risk_alerts_last_minute", "")));
            assertThat(alertRows(browser)).isEqualTo(expectedAlertRows(shown));
        });
    }

    private void assertCharts(WebDriver browser, List<Instant> minuteStarts, List<Double> orders, List<Double> gmv) {
        for (String chart : List.of("orders-chart", "gmv-chart")) {
            assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart).isNotEmpty();
            DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(SHANGHAI);
            assertThat(((JavascriptExecutor) browser).executeScript("return echarts.getInstanceByDom("
                    + "document.getElementById(arguments[0])).getOption().xAxis[0].data;", chart))
                    .isEqualTo(minuteStarts.stream().map(hhmm::format).toList());
        }
        assertThat(chartData(browser, "orders-chart")).isEqualTo(orders);
        assertThat(chartData(browser, "gmv-chart")).isEqualTo(gmv);
    }

    private static List<Double> chartData(WebDriver browser, String chart) {
        List<?> data = (List<?>) ((JavascriptExecutor) browser).executeScript("return echarts.getInstanceByDom("
                + "document.getElementById(arguments[0])).getOption().series[0].data;", chart);
        return data.stream().map(o -> ((Number) o).doubleValue()).toList();
    }

    private static List<String> alertRows(WebDriver browser) {
        return browser.findElements(By.cssSelector("#risk-alerts tbody tr")).stream()
                .map(row -> row.getText().replaceAll("\\s+", " ")).toList();
    }

    /** "rule severity today last-minute" per label set of the two gauges, in the page's order (rule, severity). */
    private static List<String> expectedAlertRows(Map<String, String> shown) {
        Map<String, String[]> rows = new java.util.TreeMap<>();
        shown.forEach((series, value) -> {
            for (String name : List.of("ecom_risk_alerts_today{", "ecom_risk_alerts_last_minute{")) {
                if (series.startsWith(name)) {
                    String rule = label(series, "rule");
                    String severity = label(series, "severity");
                    String[] row = rows.computeIfAbsent(rule + "\u0000" + severity,
                            k -> new String[] {rule, severity, NO_VALUE, NO_VALUE});
                    row[name.contains("today") ? 2 : 3] = integer(Double.parseDouble(value));
                }
            }
        });
        return rows.values().stream().map(r -> String.join(" ", r)).toList();
    }

    private static String label(String series, String name) {
        int at = series.indexOf(name + "=\"") + name.length() + 2;
        return series.substring(at, series.indexOf('"', at));
    }

    /** Sum over the samples of the gauge whose label text contains {@code labelText}. */
    private static double sum(Map<String, String> samples, String name, String labelText) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> e.getKey().contains(labelText))
                .mapToDouble(e -> Double.parseDouble(e.getValue())).sum();
    }

    private static String money(double amount) {
        return String.format(Locale.US, "CNY %,.2f", amount);
    }

    private static String integer(double value) {
        return String.format(Locale.US, "%,.0f", value);
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** The tile's colour state: good, warn, bad, no-data (or plain). */
    private static String tileState(WebDriver browser, String id) {
        List<String> classes = List.of(browser.findElement(By.id(id)).getAttribute("class").split(" "));
        return classes.stream().filter(c -> List.of("good", "warn", "bad", "no-data", "plain").contains(c))
                .collect(Collectors.joining(" "));
    }

    private static void assertNoConsoleErrors(WebDriver browser) {
        List<LogEntry> severe = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(entry);
            }
        }
        assertThat(severe).as("browser console errors").isEmpty();
    }

    private static void saveScreenshot(WebDriver browser) throws Exception {
        Path png = Path.of("target", "war-room", "war-room.png");
        Files.createDirectories(png.getParent());
        Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private void writeMinute(Producer<String, String> sink, Topics t, Instant minute, double[] v) {
        commit(sink, List.of(
                new ProducerRecord<>(t.metrics, metric(MetricDefinition.ORDERS_PAID, channel("organic"), minute, v[0],
                        true)),
                new ProducerRecord<>(t.metrics, metric(MetricDefinition.ORDERS_PAID, channel("search"), minute, v[1],
                        true)),
                new ProducerRecord<>(t.metrics, metric(MetricDefinition.GMV, channelCurrency("organic", "CNY"),
                        minute, v[2], true)),
                new ProducerRecord<>(t.metrics, metric(MetricDefinition.GMV, channelCurrency("search", "CNY"),
                        minute, v[3], true))));
    }

    /** Running values of today; the alert counts are of burst/warning and shared_device/critical. */
    private void writeToday(Producer<String, String> live, Topics t, double gmvOrganic, double gmvSearch,
                            double ordersOrganic, double ordersSearch, double burstAlerts, double sharedDeviceAlerts)
            throws Exception {
        Instant now = clock.instant();
        List<String> records = List.of(
                metric(MetricDefinition.GMV_DAY, channelCurrency("organic", "CNY"), now, gmvOrganic, false),
                metric(MetricDefinition.GMV_DAY, channelCurrency("search", "CNY"), now, gmvSearch, false),
                metric(MetricDefinition.ORDERS_PAID_DAY, channel("organic"), now, ordersOrganic, false),
                metric(MetricDefinition.ORDERS_PAID_DAY, channel("search"), now, ordersSearch, false),
                metric(MetricDefinition.DAU_TOTAL, Map.of(), now, 49_300, false),
                metric(MetricDefinition.VISIT_TO_ORDER, Map.of(), now, 0.0437, false),
                metric(MetricDefinition.PAYMENT_SUCCESS_DAY, Map.of(), now, 0.9431, false),
                metric(MetricDefinition.RISK_ALERTS_DAY, alert(RiskRule.BURST, Severity.WARNING), now, burstAlerts,
                        false),
                metric(MetricDefinition.RISK_ALERTS_DAY, alert(RiskRule.SHARED_DEVICE, Severity.CRITICAL), now,
                        sharedDeviceAlerts, false));
        for (String record : records) {
            live.send(new ProducerRecord<>(t.live, record)).get();
        }
    }

    /** Waits until the exporter's minute history holds {@code count} minutes with both values. */
    private static void awaitHistory(MetricsExporter exporter, int count) {
        await().atMost(DEADLINE).until(() -> {
            JsonNode minutes = api(exporter).get("minutes");
            return minutes.size() == count && !minutes.get(count - 1).get("orders_paid").isNull()
                    && !minutes.get(count - 1).get("gmv").isNull();
        });
    }

    private static JsonNode api(MetricsExporter exporter) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + exporter.port() + "/api/war-room")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return DOUBLES.readTree(response.body());
    }

    private static Map<String, String> alert(RiskRule rule, Severity severity) {
        return Map.of("rule", rule.code(), "severity", severity.code());
    }

    private record Topics(String metrics, String live, String dead) {}

    private static Topics topics(String prefix) throws Exception {
        Topics t = new Topics(prefix + ".metrics", prefix + ".metrics.live", prefix + ".dead-letters");
        broker.createTopics(1, t.metrics, t.live, t.dead);
        return t;
    }

    private static ExporterSettings settings(Topics t, OptionalDouble target) {
        return new ExporterSettings(broker.bootstrapServers(), t.metrics, t.live, t.dead, "exporter-" + t.metrics,
                "127.0.0.1", 0, ExporterSettings.DEFAULT_STALE_AFTER, ExporterSettings.DEFAULT_MAX_SERIES, Map.of())
                .withGmvTarget(target.isPresent() ? target.getAsDouble() : null);
    }

    private static Instant pastNoonInShanghai() {
        ZonedDateTime now = ZonedDateTime.now(SHANGHAI);
        ZonedDateTime noon = now.toLocalDate().atTime(12, 0).atZone(SHANGHAI);
        return (noon.isAfter(now.minusMinutes(1)) ? noon.minusDays(1) : noon).toInstant();
    }

    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("WarRoomPageBrowserTest needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install Debian's packages with `apt-get install chromium chromium-driver` "
                    + "(or run .ci/install-servers.sh)");
        }
    }

    /** Headless Chromium with the installed driver, named explicitly: Selenium Manager must not download one. */
    private static WebDriver startBrowser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1600,1150", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return new ChromeDriver(service, options);
    }
}
