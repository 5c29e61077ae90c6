package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.pulse.json.Json;
import dev.pulse.local.ViewSnapshot.MetricRow;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TerminalViewTest {

    /** What an exporter serves mid-demo: several label sets per metric, one metric not yet present. */
    private static final PrometheusText SCRAPE = PrometheusText.parse("""
            ecom_page_views_last_minute{channel="organic",platform="app"} 1200
            ecom_page_views_last_minute{channel="search",platform="web"} 300
            ecom_page_views_current_minute{channel="organic",platform="app"} 420
            ecom_orders_created_last_minute{channel="organic"} 25
            ecom_orders_created_last_minute{channel="social"} 6
            ecom_orders_created_current_minute{channel="organic"} 9
            ecom_orders_paid_last_minute{channel="organic"} 27
            ecom_gmv_last_minute{channel="organic",currency="CNY"} 1234000.5
            ecom_gmv_last_minute{channel="social",currency="CNY"} 567.391
            ecom_gmv_current_minute{channel="organic",currency="CNY"} 330120
            ecom_uv_total_last_minute 1180
            ecom_uv_total_current_minute 350
            ecom_dau_total_last_day 52000
            ecom_dau_total_today 8100
            ecom_mau_today 310500
            ecom_new_users_today 640
            ecom_sessions_today 9050
            ecom_orders_paid_today{channel="organic"} 700
            ecom_orders_paid_today{channel="social"} 12
            ecom_gmv_last_day{channel="organic",currency="CNY"} 9876543.21
            ecom_gmv_today{channel="organic",currency="CNY"} 123456.78
            ecom_paying_users_today 655
            ecom_net_gmv_last_day{channel="organic",currency="CNY"} 9000000
            ecom_net_gmv_last_day{channel="social",currency="CNY"} 1.5
            ecom_net_gmv_today{channel="organic",currency="CNY"} 120000
            ecom_ad_spend_today{campaign="cmp-a",creative="cr-1",currency="CNY",placement="feed"} 2000.25
            ecom_ad_spend_today{campaign="other",creative="other",currency="CNY",placement="feed"} 1000
            ecom_ad_attributed_gmv_today{campaign="cmp-a",currency="CNY"} 9000.75
            pulse_dead_letters_total{stream="click",reason="too_late"} 2
            pulse_dead_letters_total{stream="click",reason="malformed_json"} 3
            pulse_dead_letters_total{stream="order",reason="malformed_json"} 1
            pulse_exporter_records_total{topic="pulse.metrics"} 1234
            """);

    private static ViewSnapshot snapshot() {
        return new ViewSnapshot(Duration.ofHours(2).plusMinutes(3).plusSeconds(4), "RUNNING",
                Map.of(Stream.CLICK, 109_620L, Stream.ORDER, 5_576L, Stream.AD, 27_675L),
                // no rate for ads: shown as "-"
                Map.of(Stream.CLICK, 812.04, Stream.ORDER, 41.333),
                ViewSnapshot.metricRows(SCRAPE), ViewSnapshot.dayRows(SCRAPE), ViewSnapshot.deadLettersByReason(SCRAPE),
                null, List.of(ALERT));
    }

    private static final AlertRecord ALERT = Json.read("""
            {"alert_id":"9f1c","rule":"coupon_abuse","severity":"critical",
             "key":"user:3f2a91c0d4e5f60718293a4b5c6d7e8f","window_start":"2026-11-10T18:14:09.120Z",
             "window_end":"2026-11-11T18:14:09.120Z","fired_at":"2026-11-11T02:14:09.120Z",
             "evidence":{"order_ids":["ord-1"],"count":1,"amount":81.00,"detail":"discount 81.00"}}""",
            AlertRecord.class);

    @Test
    void readsTheHeadlineNumbersFromTheScrape() {
        assertThat(ViewSnapshot.metricRows(SCRAPE)).containsExactly(
                new MetricRow("page views", OptionalDouble.of(1500), OptionalDouble.of(420), false),
                new MetricRow("visitors (UV)", OptionalDouble.of(1180), OptionalDouble.of(350), false),
                new MetricRow("orders created", OptionalDouble.of(31), OptionalDouble.of(9), false),
                new MetricRow("orders paid", OptionalDouble.of(27), OptionalDouble.empty(), false),
                new MetricRow("GMV CNY", OptionalDouble.of(1234000.5 + 567.391), OptionalDouble.of(330120), true));
        assertThat(ViewSnapshot.dayRows(SCRAPE)).containsExactly(
                new MetricRow("visitors (DAU)", OptionalDouble.of(52000), OptionalDouble.of(8100), false),
                new MetricRow("MAU (30 days)", OptionalDouble.empty(), OptionalDouble.of(310500), false),
                new MetricRow("new users", OptionalDouble.empty(), OptionalDouble.of(640), false),
                new MetricRow("sessions ended", OptionalDouble.empty(), OptionalDouble.of(9050), false),
                new MetricRow("orders paid", OptionalDouble.empty(), OptionalDouble.of(712), false),
                new MetricRow("paying users", OptionalDouble.empty(), OptionalDouble.of(655), false),
                new MetricRow("GMV CNY", OptionalDouble.of(9876543.21), OptionalDouble.of(123456.78), true),
                new MetricRow("net GMV CNY", OptionalDouble.of(9000001.5), OptionalDouble.of(120000), true),
                new MetricRow("ad spend CNY", OptionalDouble.empty(), OptionalDouble.of(3000.25), true),
                new MetricRow("ad-attributed GMV CNY", OptionalDouble.empty(), OptionalDouble.of(9000.75), true));
        assertThat(ViewSnapshot.deadLettersByReason(SCRAPE))
                .containsExactly(entry("malformed_json", 4L), entry("too_late", 2L));
    }

    @Test
    void drawsTheScreen() {
        assertThat(TerminalView.screen(snapshot(), "Flink UI http://127.0.0.1:8081 | Ctrl-C stops")).isEqualTo("""
                Pulse demo | up 2:03:04 | Flink job RUNNING

                Generator                     events/s            sent
                  click                          812.0         109,620
                  order                           41.3           5,576
                  ad                                 -          27,675

                Metrics                    last minute  current minute
                  page views                     1,500             420
                  visitors (UV)                  1,180             350
                  orders created                    31               9
                  orders paid                       27               -
                  GMV CNY                 1,234,567.89      330,120.00

                Business day                 yesterday    today so far
                  visitors (DAU)                52,000           8,100
                  MAU (30 days)                      -         310,500
                  new users                          -             640
                  sessions ended                     -           9,050
                  orders paid                        -             712
                  paying users                       -             655
                  GMV CNY                 9,876,543.21      123,456.78
                  net GMV CNY             9,000,001.50      120,000.00
                  ad spend CNY                       -        3,000.25
                  ad-attributed GMV CNY              -        9,000.75

                Dead letters since the exporter started
                  malformed_json                     4
                  too_late                           2

                Latest risk alerts (pulse.alerts.live)
                  02:14:09Z critical coupon_abuse           user:3f2a91c0  count=1 orders=1 amount=81.00

                Flink UI http://127.0.0.1:8081 | Ctrl-C stops
                """);
    }

    @Test
    void drawsOneLineForLogs() {
        assertThat(TerminalView.line(snapshot())).isEqualTo("[2:03:04] job RUNNING"
                + " | events/s: click 812.0, order 41.3, ad -"
                + " | last minute: page views 1,500, visitors (UV) 1,180, orders created 31, orders paid 27,"
                + " GMV CNY 1,234,567.89"
                + " | current minute: page views 420, visitors (UV) 350, orders created 9, orders paid -,"
                + " GMV CNY 330,120.00"
                + " | today: visitors (DAU) 8,100, MAU (30 days) 310,500, new users 640, sessions ended 9,050,"
                + " orders paid 712, paying users 655, GMV CNY 123,456.78, net GMV CNY 120,000.00,"
                + " ad spend CNY 3,000.25, ad-attributed GMV CNY 9,000.75"
                + " | dead letters: 6 (malformed_json 4, too_late 2)"
                + " | latest alert: 02:14:09Z critical coupon_abuse           user:3f2a91c0  count=1 orders=1"
                + " amount=81.00");
    }

    @Test
    void showsUnknownValuesAndWhyWhenTheExporterCannotBeRead() {
        ViewSnapshot unreadable = new ViewSnapshot(Duration.ofSeconds(59), "INITIALIZING",
                Map.of(Stream.CLICK, 0L, Stream.ORDER, 0L, Stream.AD, 0L), Map.of(), ViewSnapshot.unknownRows(),
                ViewSnapshot.unknownDayRows(), new TreeMap<>(), "Connection refused", List.of());

        assertThat(TerminalView.screen(unreadable, "footer")).isEqualTo("""
                Pulse demo | up 0:00:59 | Flink job INITIALIZING

                Generator                     events/s            sent
                  click                              -               0
                  order                              -               0
                  ad                                 -               0

                Metrics                    last minute  current minute
                  page views                         -               -
                  visitors (UV)                      -               -
                  orders created                     -               -
                  orders paid                        -               -
                  GMV                                -               -
                  exporter not readable: Connection refused

                Business day                 yesterday    today so far
                  visitors (DAU)                     -               -
                  MAU (30 days)                      -               -
                  new users                          -               -
                  sessions ended                     -               -
                  orders paid                        -               -
                  paying users                       -               -
                  GMV                                -               -
                  net GMV                            -               -
                  ad spend                           -               -
                  ad-attributed GMV                  -               -

                Dead letters since the exporter started
                  none

                Latest risk alerts (pulse.alerts.live)
                  none

                footer
                """);
        assertThat(TerminalView.line(unreadable)).isEqualTo("[0:00:59] job INITIALIZING"
                + " | events/s: click -, order -, ad -"
                + " | last minute: page views -, visitors (UV) -, orders created -, orders paid -, GMV -"
                + " | current minute: page views -, visitors (UV) -, orders created -, orders paid -, GMV -"
                + " | today: visitors (DAU) -, MAU (30 days) -, new users -, sessions ended -, orders paid -,"
                + " paying users -, GMV -, net GMV -, ad spend -, ad-attributed GMV -"
                + " | dead letters: 0 | exporter not readable: Connection refused");
    }

    @Test
    void ratesAreTheCounterDeltasOverTheIntervalAndNoneRightAfterAReading() {
        Map<Stream, Long> before = Map.of(Stream.CLICK, 100L, Stream.ORDER, 10L, Stream.AD, 0L);
        Map<Stream, Long> after = Map.of(Stream.CLICK, 400L, Stream.ORDER, 16L, Stream.AD, 0L);
        assertThat(TerminalView.rates(before, after, 3.0))
                .containsExactly(entry(Stream.CLICK, 100.0), entry(Stream.ORDER, 2.0), entry(Stream.AD, 0.0));
        assertThat(TerminalView.rates(before, after, 0.1)).isEmpty();
    }
}
