package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.json.Json;
import dev.pulse.model.MetricRecord;
import dev.pulse.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ads' values meet Pulse's under the same key: CTR by campaign, spend by campaign, creative, placement and
 * currency, both per minute; what the twin does not compute (CPC, the day's spend) is left out.
 */
class SqlAgreementTest {
    private static final String MINUTE = "2026-11-11T00:00:00+08:00";
    private static final String MINUTE_END = "2026-11-11T00:01:00+08:00";
    private static final String SQL_MINUTE = "2026-11-10T16:00:00Z";

    private static final List<String> PULSE = List.of(
            pulse("ad_ctr", Period.MINUTE, Map.of("campaign", "spring"), 1.0 / 3),
            pulse("ad_spend", Period.MINUTE, Map.of("campaign", "spring", "creative", "cr-1", "placement", "feed",
                    "currency", "CNY"), 355_000 / 1e6),
            pulse("ad_cpc", Period.MINUTE, Map.of("campaign", "spring", "currency", "CNY"), 0.35),
            pulse("ad_spend", Period.DAY, Map.of("campaign", "spring", "creative", "cr-1", "placement", "feed",
                    "currency", "CNY"), 0.355));

    @Test
    void theSameAdValuesAgree() {
        SqlAgreement a = SqlAgreement.compare(PULSE, twin("0.355000"), "CNY");
        assertThat(a.agrees()).as(a.summary()).isTrue();
        assertThat(a.pulseValues()).isEqualTo(2);
    }

    @Test
    void aMillionthMoreSpendDiffers() {
        SqlAgreement a = SqlAgreement.compare(PULSE, twin("0.355001"), "CNY");
        assertThat(a.differing()).isEqualTo(1);
        assertThat(a.examples()).singleElement().asString().startsWith("ad_spend/minute");
    }

    private static Map<String, List<String>> twin(String spend) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String output : List.of(RunSpecs.SQL_PAGE_VIEWS, RunSpecs.SQL_ORDERS, RunSpecs.SQL_ORDERS_DAY,
                RunSpecs.SQL_ORDERS_DAY_TOTAL, RunSpecs.SQL_NET_GMV_DAY, RunSpecs.SQL_USERS,
                RunSpecs.SQL_SESSIONS_DAY)) {
            rows.put(output, List.of());
        }
        rows.put(RunSpecs.SQL_AD_CTR, List.of("{\"window_start\":\"" + SQL_MINUTE + "\",\"campaign\":\"spring\","
                + "\"impressions\":3,\"clicks\":1,\"ctr\":0.3333333333333333}"));
        rows.put(RunSpecs.SQL_AD_SPEND, List.of("{\"window_start\":\"" + SQL_MINUTE + "\",\"campaign\":\"spring\","
                + "\"creative\":\"cr-1\",\"placement\":\"feed\",\"spend\":" + spend + "}"));
        return rows;
    }

    private static String pulse(String name, Period period, Map<String, String> labels, double value) {
        return Json.write(new MetricRecord(name, period, labels, MINUTE, MINUTE_END, value, true));
    }
}
