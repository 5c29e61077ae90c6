package dev.pulse.catalog;

import dev.pulse.time.Period;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The catalog of metric records the jobs emit: one entry per record name and period, with the Prometheus names,
 * help text, labels and staleness the exporter serves. Dashboards and alert rules are tested against this list,
 * so a metric is renamed here or nowhere.
 *
 * <p>Names by period: a minute metric is served as {@code <base>_last_minute} (final value of the latest closed
 * event-time minute) and {@code <base>_current_minute} (running value of the minute still open); a business-day
 * metric as {@code <base>_last_day} (final value of the latest closed business day) and {@code <base>_today}
 * (running value of the business day still open, "today so far").
 */
public enum MetricDefinition {
    PAGE_VIEWS("page_views", Period.MINUTE, "ecom_page_views", "Page and product views (PV)", "views",
            List.of("channel", "platform")),
    ORDERS_CREATED("orders_created", Period.MINUTE, "ecom_orders_created", "Orders created", "orders",
            List.of("channel")),
    ORDERS_PAID("orders_paid", Period.MINUTE, "ecom_orders_paid", "Orders paid", "orders", List.of("channel")),
    GMV("gmv", Period.MINUTE, "ecom_gmv", "Gross merchandise value: sum of paid amounts, in the currency label",
            "currency units", List.of("channel", "currency")),
    ORDERS_CREATED_DAY("orders_created", Period.DAY, "ecom_orders_created", "Orders created", "orders",
            List.of("channel")),
    ORDERS_PAID_DAY("orders_paid", Period.DAY, "ecom_orders_paid", "Orders paid", "orders", List.of("channel")),
    GMV_DAY("gmv", Period.DAY, "ecom_gmv", "Gross merchandise value: sum of paid amounts, in the currency label",
            "currency units", List.of("channel", "currency")),
    UV("uv", Period.MINUTE, "ecom_uv", "Unique visitors (UV): distinct visitors with any click event", "visitors",
            List.of("channel", "platform")),
    UV_TOTAL("uv_total", Period.MINUTE, "ecom_uv_total",
            "Unique visitors (UV) over all channels and platforms, each counted once", "visitors", List.of()),
    DAU("dau", Period.DAY, "ecom_dau", "Daily active users (DAU): distinct visitors with any click event",
            "visitors", List.of("platform")),
    DAU_TOTAL("dau_total", Period.DAY, "ecom_dau_total",
            "Daily active users (DAU) over all platforms, each counted once", "visitors", List.of()),
    NEW_USERS("new_users", Period.DAY, "ecom_new_users", "New users: distinct users with a register event", "users",
            List.of()),
    MAU("mau", Period.DAY, "ecom_mau",
            "Monthly active users (MAU): distinct visitors active in the 30 business days ending this one",
            "visitors", List.of()),
    STICKINESS("stickiness", Period.DAY, "ecom_stickiness_ratio", "Stickiness: DAU / MAU", "ratio", List.of()),
    RETENTION_D1("retention_d1", Period.DAY, "ecom_retention_d1_ratio",
            "D1 retention: share of the users who registered the day before who are active this day", "ratio",
            List.of()),
    RETENTION_D7("retention_d7", Period.DAY, "ecom_retention_d7_ratio",
            "D7 retention: share of the users who registered 7 days before who are active this day", "ratio",
            List.of()),
    UV_SHARE("uv_share", Period.DAY, "ecom_uv_share_ratio",
            "Traffic mix: share of the day's active visitors who came through the channel", "ratio",
            List.of("channel")),
    PV_SHARE("pv_share", Period.MINUTE, "ecom_pv_share_ratio", "Traffic mix: share of page views from the channel",
            "ratio", List.of("channel")),
    PAGE_VIEWS_DAY("page_views", Period.DAY, "ecom_page_views", "Page and product views (PV)", "views",
            List.of("channel", "platform")),
    PV_SHARE_DAY("pv_share", Period.DAY, "ecom_pv_share_ratio", "Traffic mix: share of page views from the channel",
            "ratio", List.of("channel")),
    SESSIONS("sessions", Period.DAY, "ecom_sessions",
            "Sessions ended (a visitor's events with gaps under 30 min), by the day of their last event", "sessions",
            List.of()),
    BOUNCE_RATE("bounce_rate", Period.DAY, "ecom_bounce_ratio",
            "Bounce rate: sessions with exactly one page view / sessions ended", "ratio", List.of()),
    SESSION_LENGTH("session_length", Period.DAY, "ecom_session_length_avg_seconds",
            "Average session length: first to last event, over the sessions ended", "seconds", List.of()),
    PAYMENTS_FAILED("payments_failed", Period.MINUTE, "ecom_payments_failed", "Payment attempts failed", "payments",
            List.of("channel")),
    PAYMENTS_FAILED_DAY("payments_failed", Period.DAY, "ecom_payments_failed", "Payment attempts failed",
            "payments", List.of("channel")),
    ORDERS_CANCELLED("orders_cancelled", Period.MINUTE, "ecom_orders_cancelled", "Order cancellations, paid or not",
            "orders", List.of("channel")),
    ORDERS_CANCELLED_DAY("orders_cancelled", Period.DAY, "ecom_orders_cancelled", "Order cancellations, paid or not",
            "orders", List.of("channel")),
    REFUNDS("refunds", Period.MINUTE, "ecom_refunds", "Refunds (full or partial), when they happened", "refunds",
            List.of("channel")),
    REFUNDS_DAY("refunds", Period.DAY, "ecom_refunds", "Refunds (full or partial), when they happened", "refunds",
            List.of("channel")),
    REFUNDED_AMOUNT("refunded_amount", Period.MINUTE, "ecom_refunded_amount",
            "Money refunded, when it happened, in the currency label", "currency units", List.of("channel", "currency")),
    REFUNDED_AMOUNT_DAY("refunded_amount", Period.DAY, "ecom_refunded_amount",
            "Money refunded, when it happened, in the currency label", "currency units", List.of("channel", "currency")),
    CANCELLED_PAID_AMOUNT("cancelled_paid_amount", Period.MINUTE, "ecom_cancelled_paid_amount",
            "Money of paid orders given back by their cancellation (paid less refunded), when it happened",
            "currency units", List.of("channel", "currency")),
    CANCELLED_PAID_AMOUNT_DAY("cancelled_paid_amount", Period.DAY, "ecom_cancelled_paid_amount",
            "Money of paid orders given back by their cancellation (paid less refunded), when it happened",
            "currency units", List.of("channel", "currency")),
    NET_GMV("net_gmv", Period.MINUTE, "ecom_net_gmv",
            "Net GMV: paid amounts less their refunds and cancellations, credited to the minute of payment "
                    + "(restated when they come)", "currency units", List.of("channel", "currency")),
    NET_GMV_DAY("net_gmv", Period.DAY, "ecom_net_gmv",
            "Net GMV: paid amounts less their refunds and cancellations, credited to the day of payment "
                    + "(restated when they come)", "currency units", List.of("channel", "currency")),
    AOV("aov", Period.MINUTE, "ecom_aov", "Average order value (AOV): GMV / orders paid", "currency units",
            List.of("currency")),
    AOV_DAY("aov", Period.DAY, "ecom_aov", "Average order value (AOV): GMV / orders paid", "currency units",
            List.of("currency")),
    PAYMENT_SUCCESS("payment_success", Period.MINUTE, "ecom_payment_success_ratio",
            "Payment success rate: paid / (paid + payment failed)", "ratio", List.of()),
    PAYMENT_SUCCESS_DAY("payment_success", Period.DAY, "ecom_payment_success_ratio",
            "Payment success rate: paid / (paid + payment failed)", "ratio", List.of()),
    CANCELLATION_RATE("cancellation_rate", Period.MINUTE, "ecom_cancellation_ratio",
            "Cancellation rate: cancellations / orders created", "ratio", List.of()),
    CANCELLATION_RATE_DAY("cancellation_rate", Period.DAY, "ecom_cancellation_ratio",
            "Cancellation rate: cancellations / orders created", "ratio", List.of()),
    REFUND_RATE("refund_rate", Period.MINUTE, "ecom_refund_ratio", "Refund rate: refunds / orders paid", "ratio",
            List.of()),
    REFUND_RATE_DAY("refund_rate", Period.DAY, "ecom_refund_ratio", "Refund rate: refunds / orders paid", "ratio",
            List.of()),
    PAYING_USERS("paying_users", Period.DAY, "ecom_paying_users", "Paying users: distinct users with an order paid",
            "users", List.of()),
    REPURCHASE_RATE("repurchase_rate", Period.DAY, "ecom_repurchase_ratio",
            "Repurchase rate: users with 2+ orders paid / users with 1+, over the 30 business days ending this one",
            "ratio", List.of()),
    VISIT_TO_ORDER("visit_to_order", Period.DAY, "ecom_visit_to_order_ratio",
            "Visit-to-order conversion: paying users / daily active visitors", "ratio", List.of()),
    FUNNEL_USERS("funnel_users", Period.DAY, "ecom_funnel_users",
            "Funnel: visitors reaching the step (product_view, add_to_cart, order_created, order_paid in order, "
                    + "within the conversion window) from a first step on this day through the channel",
            "visitors", List.of("step", "channel")),
    FUNNEL_USERS_TOTAL("funnel_users_total", Period.DAY, "ecom_funnel_users_total",
            "Funnel: visitors reaching the step from a first step on this day, each counted once", "visitors",
            List.of("step")),
    FUNNEL_STEP_CONVERSION("funnel_step_conversion", Period.DAY, "ecom_funnel_step_conversion_ratio",
            "Funnel step conversion: visitors at the step / at the step before, through the channel", "ratio",
            List.of("step", "channel")),
    FUNNEL_STEP_CONVERSION_TOTAL("funnel_step_conversion_total", Period.DAY,
            "ecom_funnel_step_conversion_total_ratio",
            "Funnel step conversion: visitors at the step / at the step before", "ratio", List.of("step")),
    FUNNEL_CONVERSION("funnel_conversion", Period.DAY, "ecom_funnel_conversion_ratio",
            "Funnel overall conversion: visitors reaching order_paid / product_view, through the channel", "ratio",
            List.of("channel")),
    FUNNEL_CONVERSION_TOTAL("funnel_conversion_total", Period.DAY, "ecom_funnel_conversion_total_ratio",
            "Funnel overall conversion: visitors reaching order_paid / product_view", "ratio", List.of()),
    AD_IMPRESSIONS("ad_impressions", Period.MINUTE, "ecom_ad_impressions",
            "Ad impressions, each impression id once", "impressions",
            List.of("campaign", "creative", "placement")),
    AD_IMPRESSIONS_DAY("ad_impressions", Period.DAY, "ecom_ad_impressions",
            "Ad impressions, each impression id once", "impressions",
            List.of("campaign", "creative", "placement")),
    AD_CLICKS("ad_clicks", Period.MINUTE, "ecom_ad_clicks",
            "Ad clicks, with or without a known impression", "clicks",
            List.of("campaign", "creative", "placement")),
    AD_CLICKS_DAY("ad_clicks", Period.DAY, "ecom_ad_clicks",
            "Ad clicks, with or without a known impression", "clicks",
            List.of("campaign", "creative", "placement")),
    AD_SPEND("ad_spend", Period.MINUTE, "ecom_ad_spend",
            "Ad spend: costs of the impressions and clicks counted, in the currency label", "currency units",
            List.of("campaign", "creative", "placement", "currency")),
    AD_SPEND_DAY("ad_spend", Period.DAY, "ecom_ad_spend",
            "Ad spend: costs of the impressions and clicks counted, in the currency label", "currency units",
            List.of("campaign", "creative", "placement", "currency")),
    AD_CTR("ad_ctr", Period.MINUTE, "ecom_ad_ctr_ratio",
            "Ad click-through rate (CTR): clicks / impressions, when there were impressions", "ratio",
            List.of("campaign")),
    AD_CTR_DAY("ad_ctr", Period.DAY, "ecom_ad_ctr_ratio",
            "Ad click-through rate (CTR): clicks / impressions, when there were impressions", "ratio",
            List.of("campaign")),
    AD_CPC("ad_cpc", Period.MINUTE, "ecom_ad_cpc",
            "Ad cost per click (CPC): spend / clicks, when there were clicks", "currency units",
            List.of("campaign", "currency")),
    AD_CPC_DAY("ad_cpc", Period.DAY, "ecom_ad_cpc",
            "Ad cost per click (CPC): spend / clicks, when there were clicks", "currency units",
            List.of("campaign", "currency")),
    AD_CPM("ad_cpm", Period.MINUTE, "ecom_ad_cpm",
            "Ad cost per mille (CPM): spend / impressions x 1000, when there were impressions", "currency units",
            List.of("campaign", "currency")),
    AD_CPM_DAY("ad_cpm", Period.DAY, "ecom_ad_cpm",
            "Ad cost per mille (CPM): spend / impressions x 1000, when there were impressions", "currency units",
            List.of("campaign", "currency")),
    AD_CONVERSIONS_DAY("ad_conversions", Period.DAY, "ecom_ad_conversions",
            "Ad conversions: orders paid within the attribution window after a click, each credited to the last click "
                    + "before it, on the day of payment", "orders", List.of("campaign")),
    AD_ATTRIBUTED_GMV_DAY("ad_attributed_gmv", Period.DAY, "ecom_ad_attributed_gmv",
            "Attributed GMV: net amount of the campaign's conversions (less refunds, zero once cancelled), on the day "
                    + "of payment (restated when they come)", "currency units", List.of("campaign", "currency")),
    AD_FIRST_TIME_BUYERS_DAY("ad_first_time_buyers", Period.DAY, "ecom_ad_first_time_buyers",
            "Attributed first-time buyers: conversions whose user paid no other order in the buyer lookback before",
            "users", List.of("campaign")),
    AD_CVR_DAY("ad_cvr", Period.DAY, "ecom_ad_cvr_ratio",
            "Ad conversion rate (CVR): conversions / clicks of the day, when there were clicks", "ratio",
            List.of("campaign")),
    AD_ROAS_DAY("ad_roas", Period.DAY, "ecom_ad_roas_ratio",
            "Return on ad spend (ROAS): attributed GMV / spend of the day, when there was spend (above 3 is good)",
            "ratio", List.of("campaign")),
    AD_CAC_DAY("ad_cac", Period.DAY, "ecom_ad_cac",
            "Customer acquisition cost (CAC): spend / attributed first-time buyers of the day, when there were any",
            "currency units", List.of("campaign", "currency")),
    RISK_ALERTS("risk_alerts", Period.MINUTE, "ecom_risk_alerts",
            "Risk alerts fired on abnormal orders, by rule and severity (the alerts themselves are on pulse.alerts)",
            "alerts", List.of("rule", "severity")),
    RISK_ALERTS_DAY("risk_alerts", Period.DAY, "ecom_risk_alerts",
            "Risk alerts fired on abnormal orders, by rule and severity (the alerts themselves are on pulse.alerts)",
            "alerts", List.of("rule", "severity"));

    /** A business day's values stay on the screen until the next day's replace them, and a day beyond. */
    static final Duration DAY_STALENESS = Duration.ofDays(2);

    private final String recordName;
    private final Period period;
    private final String prometheusBase;
    private final String help;
    private final String unit;
    private final List<String> labels;

    MetricDefinition(String recordName, Period period, String prometheusBase, String help, String unit,
                     List<String> labels) {
        this.recordName = recordName;
        this.period = period;
        this.prometheusBase = prometheusBase;
        this.help = help;
        this.unit = unit;
        this.labels = labels;
    }

    /** The name field of the metric records on the results topics. */
    public String recordName() {
        return recordName;
    }

    public Period period() {
        return period;
    }

    /** Names the metric in the engine's own series (label {@code metric}): the record name, + "_day" per day. */
    public String id() {
        return period == Period.MINUTE ? recordName : recordName + "_" + period.code();
    }

    /** Gauge of final values: the latest closed minute or business day. */
    public String finalName() {
        return prometheusBase + (period == Period.MINUTE ? "_last_minute" : "_last_day");
    }

    /** Gauge of running values: the minute or business day still open. */
    public String runningName() {
        return prometheusBase + (period == Period.MINUTE ? "_current_minute" : "_today");
    }

    public String prometheusName(boolean isFinal) {
        return isFinal ? finalName() : runningName();
    }

    /** What a value counts: "orders", "visitors", "currency units" (in the currency label), "ratio", "seconds"... */
    public String unit() {
        return unit;
    }

    public String help(boolean isFinal) {
        String span = period == Period.MINUTE
                ? (isFinal ? " in the latest closed event-time minute" : " so far in the event-time minute still open")
                : (isFinal ? " in the latest closed business day" : " so far today (the business day still open)");
        return help + span + " (" + unit + ")";
    }

    /**
     * The label names, in order; every one a small bounded set, except the ads' campaign and creative ids (the
     * exporter serves the top N of each by spend and folds the rest into {@code other}).
     */
    public List<String> labels() {
        return labels;
    }

    /**
     * How long the exporter serves a value without an update: minute values as configured (they change every
     * minute while traffic flows), business-day values for {@link #DAY_STALENESS} (a quiet channel's day total
     * must not vanish at night, and yesterday's final stays until today's replaces it).
     */
    public Duration staleAfter(Duration minuteStaleness) {
        return period == Period.MINUTE ? minuteStaleness
                : minuteStaleness.compareTo(DAY_STALENESS) > 0 ? minuteStaleness : DAY_STALENESS;
    }

    /**
     * The catalog's normal ranges as colours (shared/metrics-catalog.md): conversion 3-5 % is normal, a refund rate
     * above 15 % is a problem, ROAS above 3 is good; payment success below 95 % and cancellations above 10 % are the
     * operations team's own warning levels (docs/dashboards.md). Empty where the catalog gives no range.
     */
    public Optional<Thresholds> thresholds() {
        return Optional.ofNullable(switch (recordName) {
            case "visit_to_order", "funnel_conversion", "funnel_conversion_total" ->
                    Thresholds.of("red", 0.03, "green", 0.05, "blue");
            case "payment_success" -> Thresholds.of("red", 0.90, "yellow", 0.95, "green");
            case "refund_rate" -> Thresholds.of("green", 0.15, "red");
            case "cancellation_rate" -> Thresholds.of("green", 0.10, "yellow", 0.20, "red");
            case "ad_roas" -> Thresholds.of("red", 1, "orange", 3, "green");
            case "stickiness" -> Thresholds.of("orange", 0.10, "green");
            default -> null;
        });
    }

    /** A value that is one sum of the catalog divided by another, times a factor. */
    public record Ratio(MetricDefinition numerator, MetricDefinition denominator, double factor) {}

    /**
     * For the ads' per-campaign ratios, the sums they divide: what the exporter recomputes a ratio of folded
     * campaigns ({@code other}) from. Empty for every other metric.
     */
    public Optional<Ratio> ratio() {
        return Optional.ofNullable(switch (this) {
            case AD_CTR -> new Ratio(AD_CLICKS, AD_IMPRESSIONS, 1);
            case AD_CTR_DAY -> new Ratio(AD_CLICKS_DAY, AD_IMPRESSIONS_DAY, 1);
            case AD_CPC -> new Ratio(AD_SPEND, AD_CLICKS, 1);
            case AD_CPC_DAY -> new Ratio(AD_SPEND_DAY, AD_CLICKS_DAY, 1);
            case AD_CPM -> new Ratio(AD_SPEND, AD_IMPRESSIONS, 1000);
            case AD_CPM_DAY -> new Ratio(AD_SPEND_DAY, AD_IMPRESSIONS_DAY, 1000);
            case AD_CVR_DAY -> new Ratio(AD_CONVERSIONS_DAY, AD_CLICKS_DAY, 1);
            case AD_ROAS_DAY -> new Ratio(AD_ATTRIBUTED_GMV_DAY, AD_SPEND_DAY, 1);
            case AD_CAC_DAY -> new Ratio(AD_SPEND_DAY, AD_FIRST_TIME_BUYERS_DAY, 1);
            default -> null;
        });
    }

    public static MetricDefinition of(String recordName, Period period) {
        for (MetricDefinition d : values()) {
            if (d.recordName.equals(recordName) && d.period == period) {
                return d;
            }
        }
        throw new IllegalArgumentException("no metric '" + recordName + "' per " + period.code() + " in the catalog");
    }
}
