package dev.pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.json.Json;
import dev.pulse.model.MetricRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that the SQL twin computed the same numbers as Pulse: each final value of Pulse (the last one per
 * series and window, corrections included) of a metric the twin computes against the SQL row of the same window
 * and labels. A benchmark of two jobs that disagree would compare different work. Values agree when equal, except
 * AOV (see {@link #AOV_TOLERANCE}).
 */
record SqlAgreement(int pulseValues, int sqlValues, int differing, List<String> examples) {
    private static final int EXAMPLES = 5;
    /**
     * What the SQL twin computes; Pulse computes more (MAU, stickiness, retention, shares, the funnel, attribution,
     * risk alerts, ...), which is left out here.
     */
    static final Set<MetricDefinition> TWIN_METRICS = Set.of(MetricDefinition.PAGE_VIEWS,
            MetricDefinition.ORDERS_CREATED, MetricDefinition.ORDERS_PAID, MetricDefinition.GMV,
            MetricDefinition.ORDERS_CREATED_DAY, MetricDefinition.ORDERS_PAID_DAY, MetricDefinition.GMV_DAY,
            MetricDefinition.AOV_DAY, MetricDefinition.NET_GMV_DAY,
            MetricDefinition.UV, MetricDefinition.UV_TOTAL, MetricDefinition.DAU, MetricDefinition.DAU_TOTAL,
            MetricDefinition.NEW_USERS, MetricDefinition.SESSIONS,
            MetricDefinition.BOUNCE_RATE, MetricDefinition.SESSION_LENGTH, MetricDefinition.AD_CTR,
            MetricDefinition.AD_SPEND);
    /**
     * AOV is compared within this relative tolerance, not bit for bit: Pulse divides the exact GMV by the orders
     * paid once, in double (the double nearest the true average: 1.1e-16 relative at most); the twin in DECIMAL,
     * rounded to 20 decimals. Both are far closer than 1e-12 to the true average, while a cent more or less of GMV
     * moves AOV by 0.01 / GMV relative and one order paid more or less by 1 / orders paid: more than 1e-12 for any
     * day with a GMV under ten billion.
     */
    static final BigDecimal AOV_TOLERANCE = new BigDecimal("1e-12");

    boolean agrees() {
        return differing == 0 && pulseValues == sqlValues && pulseValues > 0;
    }

    String summary() {
        if (agrees()) {
            return "identical (" + pulseValues + " values)";
        }
        return differing + " of " + Math.max(pulseValues, sqlValues) + " values differ (Pulse " + pulseValues
                + ", SQL " + sqlValues + ")" + (examples.isEmpty() ? "" : ": " + String.join("; ", examples));
    }

    /**
     * @param sqlRows the twin's committed rows by output ({@link RunSpecs#SQL_PAGE_VIEWS}, ...); of an upsert
     *     output, its latest row per key
     */
    static SqlAgreement compare(List<String> pulseFinals, Map<String, List<String>> sqlRows, String currency) {
        Map<String, Double> pulse = new HashMap<>();
        Set<String> twinIds = new HashSet<>();
        TWIN_METRICS.forEach(d -> twinIds.add(id(d)));
        for (String json : pulseFinals) {
            MetricRecord m = Json.read(json, MetricRecord.class);
            if (!twinIds.contains(m.name + "/" + m.period)) {
                continue;
            }
            pulse.put(key(m.name + "/" + m.period, m.labels, OffsetDateTime.parse(m.windowStart).toInstant()),
                    m.value);
        }
        Map<String, Double> sql = new HashMap<>();
        // AOV as the twin computed it, in exact decimals
        Map<String, BigDecimal> sqlAov = new HashMap<>();
        for (String json : rows(sqlRows, RunSpecs.SQL_PAGE_VIEWS)) {
            JsonNode row = tree(json);
            sql.put(key(id(MetricDefinition.PAGE_VIEWS), labels("channel", row.get("channel").asText(),
                    "platform", row.get("platform").asText()), start(row)), row.get("page_views").asDouble());
        }
        addOrders(sql, rows(sqlRows, RunSpecs.SQL_ORDERS), currency, MetricDefinition.ORDERS_CREATED,
                MetricDefinition.ORDERS_PAID, MetricDefinition.GMV);
        addOrders(sql, rows(sqlRows, RunSpecs.SQL_ORDERS_DAY), currency, MetricDefinition.ORDERS_CREATED_DAY,
                MetricDefinition.ORDERS_PAID_DAY, MetricDefinition.GMV_DAY);
        for (String json : rows(sqlRows, RunSpecs.SQL_ORDERS_DAY_TOTAL)) {
            JsonNode row = tree(json);
            String key = key(id(MetricDefinition.AOV_DAY), labels("currency", currency), start(row));
            sqlAov.put(key, row.get("aov").decimalValue());
            sql.put(key, row.get("aov").decimalValue().doubleValue());
        }
        for (String json : rows(sqlRows, RunSpecs.SQL_NET_GMV_DAY)) {
            JsonNode row = tree(json);
            sql.put(key(id(MetricDefinition.NET_GMV_DAY), labels("channel", row.get("channel").asText(),
                    "currency", currency), start(row)), row.get("net_gmv").decimalValue().doubleValue());
        }
        for (String json : rows(sqlRows, RunSpecs.SQL_SESSIONS_DAY)) {
            JsonNode row = tree(json);
            for (MetricDefinition d : List.of(MetricDefinition.SESSIONS, MetricDefinition.BOUNCE_RATE,
                    MetricDefinition.SESSION_LENGTH)) {
                sql.put(key(id(d), Map.of(), start(row)), row.get(d.recordName()).asDouble());
            }
        }
        for (String json : rows(sqlRows, RunSpecs.SQL_AD_CTR)) {
            JsonNode row = tree(json);
            sql.put(key(id(MetricDefinition.AD_CTR), labels("campaign", row.get("campaign").asText()), start(row)),
                    row.get("ctr").asDouble());
        }
        for (String json : rows(sqlRows, RunSpecs.SQL_AD_SPEND)) {
            JsonNode row = tree(json);
            sql.put(key(id(MetricDefinition.AD_SPEND), labels("campaign", row.get("campaign").asText(),
                    "creative", row.get("creative").asText(), "placement", row.get("placement").asText(),
                    "currency", currency), start(row)), row.get("spend").decimalValue().doubleValue());
        }
        // a day's users rows are its cumulative steps: the last one (the latest window end) is the day's value
        Map<String, Instant> latestEnd = new HashMap<>();
        for (String json : rows(sqlRows, RunSpecs.SQL_USERS)) {
            JsonNode row = tree(json);
            Map<String, String> labels = new TreeMap<>();
            for (String label : List.of("channel", "platform")) {
                if (row.hasNonNull(label)) {
                    labels.put(label, row.get(label).asText());
                }
            }
            String key = key(row.get("metric").asText() + "/" + row.get("metric_period").asText(), labels, start(row));
            Instant end = Instant.parse(row.get("window_end").asText());
            if (!latestEnd.containsKey(key) || end.isAfter(latestEnd.get(key))) {
                latestEnd.put(key, end);
                sql.put(key, row.get("v").asDouble());
            }
        }
        List<String> examples = new ArrayList<>();
        int differing = 0;
        for (String key : new TreeSet<>(union(pulse, sql))) {
            Double p = pulse.get(key);
            Double s = sql.get(key);
            boolean same = p != null && (sqlAov.containsKey(key) ? withinTolerance(p, sqlAov.get(key)) : p.equals(s));
            if (!same) {
                differing++;
                if (examples.size() < EXAMPLES) {
                    examples.add(key + " Pulse " + p + " SQL " + (sqlAov.containsKey(key) ? sqlAov.get(key) : s));
                }
            }
        }
        return new SqlAgreement(pulse.size(), sql.size(), differing, examples);
    }

    /** |Pulse - SQL| at most {@link #AOV_TOLERANCE} of |SQL|, in exact arithmetic (Pulse's double as it is). */
    static boolean withinTolerance(double pulse, BigDecimal sql) {
        if (!Double.isFinite(pulse)) {
            return false;
        }
        return new BigDecimal(pulse).subtract(sql).abs().compareTo(sql.abs().multiply(AOV_TOLERANCE)) <= 0;
    }

    private static List<String> rows(Map<String, List<String>> sqlRows, String output) {
        List<String> rows = sqlRows.get(output);
        if (rows == null) {
            throw new IllegalArgumentException("no rows of the SQL twin's output " + output);
        }
        return rows;
    }

    private static void addOrders(Map<String, Double> sql, List<String> rows, String currency,
                                  MetricDefinition created, MetricDefinition paid, MetricDefinition gmv) {
        for (String json : rows) {
            JsonNode row = tree(json);
            String channel = row.get("channel").asText();
            Instant start = start(row);
            sql.put(key(id(created), labels("channel", channel), start), row.get("orders_created").asDouble());
            sql.put(key(id(paid), labels("channel", channel), start), row.get("orders_paid").asDouble());
            sql.put(key(id(gmv), labels("channel", channel, "currency", currency), start),
                    row.get("gmv").decimalValue().doubleValue());
        }
    }

    /** The record name and period, as the Pulse side of the comparison keys them. */
    private static String id(MetricDefinition d) {
        return d.recordName() + "/" + d.period().code();
    }

    private static Set<String> union(Map<String, Double> a, Map<String, Double> b) {
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static String key(String name, Map<String, String> labels, Instant windowStart) {
        return name + new TreeMap<>(labels) + "@" + windowStart;
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static Instant start(JsonNode row) {
        return Instant.parse(row.get("window_start").asText());
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
