package dev.pulse.dashboards;

import static dev.pulse.catalog.MetricDefinition.*;

import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.FlinkMetric;
import dev.pulse.catalog.JobMetric;
import dev.pulse.catalog.Thresholds;
import java.util.List;

/**
 * The Grafana dashboards of dashboards/, defined once here from the catalog and written by {@code pulse
 * dashboards}: the war room for a promotion, the operations overview, one per metric family, risk, and pipeline
 * health. A test keeps the files equal to these definitions.
 */
public final class PulseDashboards {
    private static final Variable CHANNEL = new Variable("channel", "Channel", PAGE_VIEWS_DAY);
    private static final Variable PLATFORM = new Variable("platform", "Platform", PAGE_VIEWS_DAY);
    private static final Variable CAMPAIGN = new Variable("campaign", "Campaign", AD_SPEND_DAY);
    private static final String OTHER = "other";
    private static final String TAIL = " A campaign \"other\" is the folded long tail beyond the top N.";
    /** The day's GMV target the exporter serves when given --gmv-target. */
    private static final String GMV_TARGET = EngineMetric.GMV_TARGET.prometheusName();

    private PulseDashboards() {}

    public static List<Dashboard> all() {
        return List.of(warRoom(), overview(), users(), funnel(), money(), ads(), risk(), pipeline());
    }

    static Dashboard warRoom() {
        String gmvToday = "sum(" + GMV_DAY.runningName() + ")";
        return new Dashboard("pulse-war-room", "Pulse promotion war room",
                "The big screen of a promotion: GMV today against the day's target and against the same time last "
                        + "week, orders and GMV per minute, payment success, conversion, DAU, the channels and "
                        + "campaigns that bring the money, and the alerts firing now. The channel and campaign "
                        + "variables narrow the rankings; the totals and the target cover the whole shop.",
                "now-6h")
                .variable(CHANNEL).variable(CAMPAIGN)
                .panel(Panel.stat("GMV today", "Sum of paid amounts so far today (the business day in the "
                                + "configured time zone), all channels.")
                        .target(Query.running(GMV_DAY, "currency").unfiltered(), "GMV ({{currency}})").width(6))
                .panel(Panel.gauge("GMV today against the target", "Share of the day's GMV target (exporter "
                                + "option --gmv-target) reached so far; empty when no target is set.")
                        .target(Target.expr(gmvToday + " / sum(" + GMV_TARGET + ")", "of target", "percentunit", 1)
                                .thresholds(Thresholds.of("orange", 1, "green")))
                        .max(1).width(6))
                .panel(Panel.timeseries("GMV today vs the same time last week", "GMV so far today against the same "
                                + "series 7 days earlier, and the day's target.")
                        .target(Query.running(GMV_DAY, "currency").unfiltered(), "today ({{currency}})")
                        .target(Query.running(GMV_DAY, "currency").unfiltered().offset("7d"),
                                "last week ({{currency}})")
                        .target(Target.expr("sum(" + GMV_TARGET + ")", "target", "short", 2)))
                .panel(Panel.timeseries("Paid orders per minute", "Orders created and paid in each closed "
                                + "event-time minute, all channels.")
                        .target(Query.last(ORDERS_CREATED).unfiltered(), "created")
                        .target(Query.last(ORDERS_PAID).unfiltered(), "paid").width(8))
                .panel(Panel.timeseries("GMV per minute", "Sum of paid amounts in each closed event-time minute, "
                                + "all channels.")
                        .target(Query.last(GMV, "currency").unfiltered(), "GMV ({{currency}})").width(8))
                .panel(Panel.stat("Payment success now and today", "Paid / (paid + failed payment attempts) in the "
                                + "latest closed minute and so far today. Red below 90 %, yellow below 95 %.")
                        .target(Query.last(PAYMENT_SUCCESS), "latest minute")
                        .target(Query.running(PAYMENT_SUCCESS_DAY), "today").width(8))
                .panel(Panel.stat("Conversion and DAU today", "Visit-to-order conversion (paying users / DAU; "
                                + "the catalog's normal range is 3-5 %) and distinct visitors so far today.")
                        .target(Query.running(VISIT_TO_ORDER), "conversion")
                        .target(Query.running(DAU_TOTAL), "DAU").width(8))
                .panel(Panel.bars("Top channels by GMV today", "The five selected channels with the most GMV so "
                                + "far today.")
                        .target(Query.running(GMV_DAY, "channel").top(5), "{{channel}}").width(8))
                .panel(Panel.bars("Top campaigns by attributed GMV today", "The five selected campaigns whose ad "
                                + "clicks brought the most net GMV so far today (the folded tail left out).")
                        .target(Query.running(AD_ATTRIBUTED_GMV_DAY, "campaign").without("campaign", OTHER).top(5),
                                "{{campaign}}").width(8))
                .panel(Panel.table("Alerts firing now", "Every Pulse alert Prometheus has firing (business and "
                                + "pipeline, with severity and layer); routed by Alertmanager, see docs/alerting.md.")
                        .target(Target.expr("ALERTS{alertstate=\"firing\"}", "{{alertname}}", "short", 0)
                                .asTable()).width(12))
                .panel(Panel.stat("Risk alerts today", "Risk alerts fired on abnormal orders so far today, by "
                                + "severity (the records are on pulse.alerts; details on the risk dashboard).")
                        .target(Query.running(RISK_ALERTS_DAY, "severity"), "{{severity}}").width(12));
    }

    static Dashboard overview() {
        return new Dashboard("pulse-overview", "Pulse overview",
                "Live e-commerce numbers (per event-time minute and today so far) and the health of the pipeline "
                        + "behind them. The channel and platform variables narrow the numbers that have them.",
                "now-1h")
                .variable(CHANNEL).variable(PLATFORM)
                .panel(Panel.timeseries("Page views per minute by channel", "PV (page_view + product_view events) "
                                + "of the latest closed event-time minute, summed over platforms.")
                        .target(Query.last(PAGE_VIEWS, "channel"), "{{channel}}"))
                .panel(Panel.stat("Page views, current minute", "Running PV of the event-time minute still open, "
                                + "by channel (updates every few seconds; final when the minute closes).")
                        .target(Query.running(PAGE_VIEWS, "channel"), "{{channel}}").width(6))
                .panel(Panel.stat("Freshness: age of the newest final minute", "Seconds since the end of the "
                                + "newest event-time window with a final value, per metric. Grows without bound "
                                + "when results stop arriving.")
                        .target(Target.expr("time() - max by (metric) (" + EngineMetric.LAST_WINDOW_END.prometheusName()
                                + ")", "{{metric}}", "s", 0).thresholds(Thresholds.of("green", 120, "orange", 300,
                                "red"))).width(6))
                .panel(Panel.timeseries("Orders created and paid per minute", "Orders created and orders paid in "
                                + "the latest closed event-time minute, all channels.")
                        .target(Query.last(ORDERS_CREATED), "created").target(Query.last(ORDERS_PAID), "paid"))
                .panel(Panel.timeseries("GMV per minute by channel", "Sum of paid amounts in the latest closed "
                                + "event-time minute, by channel, in the reporting currency.")
                        .target(Query.last(GMV, "channel", "currency"), "{{channel}} ({{currency}})"))
                .panel(Panel.timeseries("Dead letters per second by reason", "Input events that could not be "
                                + "counted, by stream and reason. Anything above zero deserves a look.")
                        .target(rate(EngineMetric.DEAD_LETTERS.prometheusName() + "_total", "stream, reason",
                                "{{stream}} {{reason}}")).width(8))
                .panel(Panel.timeseries("Result delay p95: window end to exporter", "95th percentile of the "
                                + "wall-clock time from a window's end to its final value reaching the exporter "
                                + "(watermark delay plus checkpoint interval when healthy).")
                        .target(Target.expr("histogram_quantile(0.95, sum by (le, metric) (rate("
                                + EngineMetric.RESULT_DELAY.prometheusName() + "_bucket[$__rate_interval])))",
                                "{{metric}}", "s", 1)).width(8))
                .panel(Panel.timeseries("Invalid records on the results topics", "Records the exporter skipped "
                                + "because they did not match the metric catalog. Should stay at zero.")
                        .target(rate(EngineMetric.INVALID_RECORDS.prometheusName() + "_total", "topic", "{{topic}}"))
                        .width(8))
                .panel(Panel.stat("Orders today so far by channel", "Orders created and paid in the business day "
                                + "still open (midnight in the business time zone until now), by channel; running "
                                + "values, refreshed within seconds.")
                        .target(Query.running(ORDERS_CREATED_DAY, "channel"), "{{channel}} created")
                        .target(Query.running(ORDERS_PAID_DAY, "channel"), "{{channel}} paid"))
                .panel(Panel.stat("GMV today so far by channel", "Sum of paid amounts in the business day still "
                                + "open, by channel, in the reporting currency; yesterday's final total is "
                                + GMV_DAY.finalName() + ".")
                        .target(Query.running(GMV_DAY, "channel", "currency"), "{{channel}} {{currency}}"))
                .panel(Panel.stat("DAU today so far", "Distinct visitors (the user, or the device of an anonymous "
                                + "visitor) with any click in the business day still open: in total and by platform.")
                        .target(Query.running(DAU_TOTAL), "all platforms")
                        .target(Query.running(DAU, "platform"), "{{platform}}"))
                .panel(Panel.timeseries("UV per minute", "Distinct visitors with any click in the latest closed "
                                + "event-time minute, in total and by channel (a visitor seen on two channels "
                                + "counts in both).")
                        .target(Query.last(UV_TOTAL), "all").target(Query.last(UV, "channel"), "{{channel}}"));
    }

    static Dashboard users() {
        return new Dashboard("pulse-users", "Pulse users and traffic",
                "Who is on the site: DAU against yesterday, MAU and stickiness, new users and retention, sessions "
                        + "and bounce rate, and where the traffic comes from. Business days in the configured "
                        + "time zone.", "now-24h")
                .variable(CHANNEL).variable(PLATFORM)
                .panel(Panel.timeseries("DAU today vs yesterday at this time", "Distinct visitors with any click so "
                                + "far in the business day still open, against the same series 24 hours earlier "
                                + "(yesterday at this time of day).")
                        .target(Query.running(DAU_TOTAL), "today")
                        .target(Query.running(DAU_TOTAL).offset("1d"), "yesterday"))
                .panel(Panel.stat("MAU today", "Distinct visitors active in the 30 business days ending today (so "
                                + "far), refreshed during the day.")
                        .target(Query.running(MAU), "MAU").width(6))
                .panel(Panel.stat("Stickiness today", "DAU / MAU of the business day still open; consumer apps "
                                + "usually sit between 10 % and 30 %.")
                        .target(Query.running(STICKINESS), "DAU / MAU").width(6))
                .panel(Panel.stat("New users today", "Distinct users with a register event in the business day "
                                + "still open.")
                        .target(Query.running(NEW_USERS), "new users").width(6))
                .panel(Panel.stat("Retention (latest closed day)", "Of the users who registered the day before "
                                + "(D1) or 7 days before (D7) the latest closed business day, the share active on "
                                + "it. Reported on the day it is measured.")
                        .target(Query.last(RETENTION_D1), "D1").target(Query.last(RETENTION_D7), "D7").width(6))
                .panel(Panel.stat("Sessions today", "Sessions ended so far today (a visitor's events with gaps "
                                + "under 30 minutes; a session counts on the day of its last event, once 30 minutes "
                                + "and the allowed lateness have passed), bounce rate (exactly one page view) and "
                                + "average length.")
                        .target(Query.running(SESSIONS), "sessions")
                        .target(Query.running(BOUNCE_RATE), "bounce rate")
                        .target(Query.running(SESSION_LENGTH), "average length"))
                .panel(Panel.bars("Traffic mix today: visitors by channel", "Share of today's active visitors who "
                                + "came through each channel (a visitor seen on two channels counts in both, so "
                                + "shares may add up to more than 100 %).")
                        .target(Query.running(UV_SHARE, "channel"), "{{channel}}").max(1))
                .panel(Panel.bars("Traffic mix today: page views by channel", "Share of today's page views "
                                + "(page_view + product_view) from each channel.")
                        .target(Query.running(PV_SHARE_DAY, "channel"), "{{channel}}").max(1))
                .panel(Panel.bars("Page views today by channel and platform", "PV (page_view + product_view) so far "
                                + "today, per channel and platform.")
                        .target(Query.running(PAGE_VIEWS_DAY, "channel", "platform"), "{{channel}} {{platform}}")
                        .size(24, 8))
                .panel(Panel.timeseries("Page views per minute by platform", "PV of the latest closed event-time "
                                + "minute by platform, summed over channels.")
                        .target(Query.last(PAGE_VIEWS, "platform"), "{{platform}}"))
                .panel(Panel.timeseries("Share of page views per minute by channel", "Each channel's share of the "
                                + "PV of the latest closed event-time minute.")
                        .target(Query.last(PV_SHARE, "channel"), "{{channel}}"));
    }

    static Dashboard funnel() {
        List<String> steps = List.of("product_view", "add_to_cart", "order_created", "order_paid");
        Panel today = Panel.bars("Funnel today: visitors by step", "Visitors reaching each step, in order within "
                + "the conversion window, from a first step (product view) today; each visitor counted once per step.");
        Panel conversion = Panel.bars("Step conversion today", "Visitors at the step / visitors at the step before, "
                + "from today's first steps.").max(1);
        Panel lastDay = Panel.bars("Funnel, latest final day: visitors by step", "The funnel of the latest "
                + "business day whose conversion window has passed: final values.").width(8);
        for (String step : steps) {
            today.target(Query.running(FUNNEL_USERS_TOTAL).where("step", step), step);
            lastDay.target(Query.last(FUNNEL_USERS_TOTAL).where("step", step), step);
            if (!step.equals(steps.get(0))) {
                conversion.target(Query.running(FUNNEL_STEP_CONVERSION_TOTAL).where("step", step), step);
            }
        }
        return new Dashboard("pulse-funnel", "Pulse funnel",
                "How visitors move from viewing to buying: the ordered funnel product_view -> add_to_cart -> order "
                        + "created -> order paid per business day of the first step, step and overall conversion, "
                        + "visit-to-order conversion. A day's funnel stays open (running) for the conversion "
                        + "window after the day, then becomes final.", "now-24h")
                .variable(CHANNEL)
                .panel(today).panel(conversion)
                .panel(Panel.stat("Conversion today", "Overall funnel conversion (visitors reaching order_paid / "
                                + "product_view, from today's first steps) and visit-to-order conversion (paying "
                                + "users / DAU). Red below the catalog's normal range of 3-5 %, blue above it.")
                        .target(Query.running(FUNNEL_CONVERSION_TOTAL), "funnel")
                        .target(Query.running(VISIT_TO_ORDER), "visit to order").width(8))
                .panel(Panel.bars("Funnel conversion today by channel", "Overall conversion of the visitors whose "
                                + "first step came through each channel.")
                        .target(Query.running(FUNNEL_CONVERSION, "channel"), "{{channel}}").max(0.2).width(8))
                .panel(lastDay)
                .panel(Panel.bars("Funnel today by channel: visitors by step", "Visitors reaching each step from "
                                + "a first step today, per channel of that first step.")
                        .target(Query.running(FUNNEL_USERS, "channel", "step"), "{{channel}} {{step}}"))
                .panel(Panel.bars("Step conversion today by channel", "Visitors at the step / at the step before, "
                                + "per channel of the first step.")
                        .target(Query.running(FUNNEL_STEP_CONVERSION, "channel", "step"), "{{channel}} {{step}}")
                        .max(1));
    }

    static Dashboard money() {
        return new Dashboard("pulse-money", "Pulse money",
                "How much money comes in: GMV and net GMV (less refunds and cancellations, restated to the day and "
                        + "minute of payment) against yesterday at the same time, AOV, payment success, refund and "
                        + "cancellation rates, repurchase. The channel variable narrows the numbers by channel.",
                "now-24h")
                .variable(CHANNEL)
                .panel(Panel.timeseries("GMV and net GMV today vs yesterday at this time", "Sum of paid amounts so "
                                + "far today, and net of the refunds and cancellations of those payments, against "
                                + "the same series 24 hours earlier.")
                        .target(Query.running(GMV_DAY, "currency"), "GMV today ({{currency}})")
                        .target(Query.running(NET_GMV_DAY, "currency"), "net GMV today ({{currency}})")
                        .target(Query.running(GMV_DAY, "currency").offset("1d"), "GMV yesterday ({{currency}})")
                        .target(Query.running(NET_GMV_DAY, "currency").offset("1d"),
                                "net GMV yesterday ({{currency}})"))
                .panel(Panel.stat("AOV today", "Average order value: GMV / orders paid, so far today.")
                        .target(Query.running(AOV_DAY, "currency"), "{{currency}}").width(4))
                .panel(Panel.stat("Payment success today", "Paid / (paid + failed payment attempts) so far today. "
                                + "Red below 90 %, yellow below 95 %.")
                        .target(Query.running(PAYMENT_SUCCESS_DAY), "payment success").width(4))
                .panel(Panel.stat("Refund rate today", "Refunds / orders paid so far today; red from the catalog's "
                                + "warning level of 15 %.")
                        .target(Query.running(REFUND_RATE_DAY), "refund rate").width(4))
                .panel(Panel.stat("Cancellation rate today", "Cancellations / orders created so far today; yellow "
                                + "from 10 %, red from 20 %.")
                        .target(Query.running(CANCELLATION_RATE_DAY), "cancellation rate").width(6))
                .panel(Panel.stat("Paying users today and repurchase", "Distinct users with an order paid today; "
                                + "repurchase rate of the latest closed day (users with 2+ orders paid / users with "
                                + "1+, over the 30 business days ending it).")
                        .target(Query.running(PAYING_USERS), "paying users")
                        .target(Query.last(REPURCHASE_RATE), "repurchase").width(6))
                .panel(Panel.bars("Refunded and cancelled money today by channel", "Money refunded, and money of "
                                + "paid orders given back by their cancellation, when it happened today.")
                        .target(Query.running(REFUNDED_AMOUNT_DAY, "channel"), "refunded {{channel}}")
                        .target(Query.running(CANCELLED_PAID_AMOUNT_DAY, "channel"), "cancelled {{channel}}"))
                .panel(Panel.timeseries("Net GMV per minute by channel", "Net GMV of each closed minute (paid less "
                                + "the refunds and cancellations of its payments, restated when they come).")
                        .target(Query.last(NET_GMV, "channel"), "{{channel}}"))
                .panel(Panel.timeseries("Payment success and refund rate per minute", "Per closed minute; the "
                                + "dashed lines are the payment success levels of 90 % and 95 %.")
                        .target(Query.last(PAYMENT_SUCCESS), "payment success")
                        .target(Query.last(REFUND_RATE), "refund rate"))
                .panel(Panel.stat("Failed payments, cancellations and refunds today", "Payment attempts failed, "
                                + "orders cancelled (paid or not) and refunds so far today, when they happened.")
                        .target(Query.running(PAYMENTS_FAILED_DAY), "payments failed")
                        .target(Query.running(ORDERS_CANCELLED_DAY), "cancellations")
                        .target(Query.running(REFUNDS_DAY), "refunds").width(8))
                .panel(Panel.timeseries("Failed payments, cancellations and refunds per minute", "The same per "
                                + "closed event-time minute.")
                        .target(Query.last(PAYMENTS_FAILED), "payments failed")
                        .target(Query.last(ORDERS_CANCELLED), "cancellations")
                        .target(Query.last(REFUNDS), "refunds").width(8))
                .panel(Panel.timeseries("Money given back per minute", "Money refunded, and money of paid orders "
                                + "given back by their cancellation, per closed minute.")
                        .target(Query.last(REFUNDED_AMOUNT, "currency"), "refunded ({{currency}})")
                        .target(Query.last(CANCELLED_PAID_AMOUNT, "currency"), "cancelled ({{currency}})").width(8))
                .panel(Panel.timeseries("AOV and cancellation rate per minute", "Average order value of each closed "
                                + "minute, and its cancellations / orders created on the right axis.")
                        .target(Query.last(AOV, "currency"), "AOV ({{currency}})")
                        .target(Target.of(Query.last(CANCELLATION_RATE), "cancellation rate").onRightAxis())
                        .size(24, 8));
    }

    static Dashboard ads() {
        return new Dashboard("pulse-ads", "Pulse ads",
                "What advertising costs and brings in, per campaign: spend, impressions, clicks, CTR, CPC and CPM "
                        + "per minute and today so far; conversions (orders paid credited to the last ad click "
                        + "within the attribution window), attributed GMV, first-time buyers, CVR, ROAS and CAC "
                        + "today, on the day of payment. The campaign variable selects the per-campaign panels; "
                        + "the totals at the top cover all campaigns.", "now-24h")
                .variable(CAMPAIGN)
                .panel(Panel.stat("Ad spend today", "Costs of the impressions and clicks counted so far today, over "
                                + "all campaigns (the campaign selection does not apply).")
                        .target(Query.running(AD_SPEND_DAY, "currency").unfiltered(), "spend ({{currency}})")
                        .width(6))
                .panel(Panel.stat("Attributed GMV today", "Net amount of the orders paid today that were credited "
                                + "to the last ad click within the attribution window before them (less refunds, "
                                + "zero once cancelled), over all campaigns (the campaign selection does not apply).")
                        .target(Query.running(AD_ATTRIBUTED_GMV_DAY, "currency").unfiltered(),
                                "attributed GMV ({{currency}})").width(6))
                .panel(Panel.stat("Ad conversions today", "Orders paid today credited to an ad click, and those of "
                                + "them whose user paid no other order in the buyer lookback before, over all "
                                + "campaigns (the campaign selection does not apply).")
                        .target(Query.running(AD_CONVERSIONS_DAY).unfiltered(), "conversions")
                        .target(Query.running(AD_FIRST_TIME_BUYERS_DAY).unfiltered(), "first-time buyers").width(6))
                .panel(Panel.stat("ROAS today", "Return on ad spend, attributed GMV / spend, both summed over all "
                                + "campaigns (the campaign selection does not apply); no value while there is no "
                                + "spend today. Catalog: ROAS above 3 is good; red below 1 (spend not earned back), "
                                + "orange from 1, green from 3.")
                        .target(Target.expr(Query.running(AD_ATTRIBUTED_GMV_DAY, "currency").unfiltered().render(List.of())
                                + " / (" + Query.running(AD_SPEND_DAY, "currency").unfiltered().render(List.of())
                                + " > 0)", "ROAS", "short", 2).thresholds(AD_ROAS_DAY.thresholds().orElseThrow()))
                        .width(6))
                .panel(Panel.bars("Spend today by campaign", "Spend so far today per selected campaign." + TAIL)
                        .target(Query.running(AD_SPEND_DAY, "campaign", "currency"), "{{campaign}}").width(8))
                .panel(Panel.bars("Attributed GMV today by campaign", "Attributed GMV so far today per selected "
                                + "campaign." + TAIL)
                        .target(Query.running(AD_ATTRIBUTED_GMV_DAY, "campaign", "currency"), "{{campaign}}")
                        .width(8))
                .panel(Panel.bars("Top 5 campaigns by spend today", "The five selected campaigns with the most "
                                + "spend so far today, largest first; the folded long tail (campaign \"other\") is "
                                + "not a campaign and is left out.")
                        .target(Query.running(AD_SPEND_DAY, "campaign", "currency").without("campaign", OTHER)
                                .top(5), "{{campaign}}").width(8))
                .panel(Panel.bars("ROAS today by campaign", "Attributed GMV / spend so far today, for the selected "
                                + "campaigns with spend. Catalog: ROAS above 3 is good; red below 1, orange from 1, "
                                + "green from 3." + TAIL)
                        .target(Query.running(AD_ROAS_DAY, "campaign"), "{{campaign}}").width(8))
                .panel(Panel.bars("CVR today by campaign", "Ad conversion rate: conversions / clicks so far today, "
                                + "for the selected campaigns with clicks." + TAIL)
                        .target(Query.running(AD_CVR_DAY, "campaign"), "{{campaign}}").width(8))
                .panel(Panel.bars("CTR today by campaign", "Click-through rate: clicks / impressions so far today, "
                                + "for the selected campaigns with impressions." + TAIL)
                        .target(Query.running(AD_CTR_DAY, "campaign"), "{{campaign}}").width(8))
                .panel(Panel.bars("CPC today by campaign", "Cost per click: spend / clicks so far today, for the "
                                + "selected campaigns with clicks." + TAIL)
                        .target(Query.running(AD_CPC_DAY, "campaign", "currency"), "{{campaign}}").width(6))
                .panel(Panel.bars("CPM today by campaign", "Cost per thousand impressions: spend / impressions x "
                                + "1000 so far today, for the selected campaigns with impressions." + TAIL)
                        .target(Query.running(AD_CPM_DAY, "campaign", "currency"), "{{campaign}}").width(6))
                .panel(Panel.bars("CAC today by campaign", "Customer acquisition cost: spend / attributed "
                                + "first-time buyers so far today, for the selected campaigns with any." + TAIL)
                        .target(Query.running(AD_CAC_DAY, "campaign", "currency"), "{{campaign}}").width(6))
                .panel(Panel.bars("Conversions and first-time buyers today by campaign", "Orders paid today "
                                + "credited to the campaign's clicks, and the first-time buyers among them, per "
                                + "selected campaign." + TAIL)
                        .target(Query.running(AD_CONVERSIONS_DAY, "campaign"), "conversions {{campaign}}")
                        .target(Query.running(AD_FIRST_TIME_BUYERS_DAY, "campaign"), "first-time buyers {{campaign}}")
                        .width(6))
                .panel(Panel.timeseries("Spend per minute by campaign", "Spend of each closed minute per selected "
                                + "campaign." + TAIL)
                        .target(Query.last(AD_SPEND, "campaign", "currency"), "{{campaign}}").width(8))
                .panel(Panel.timeseries("Ad impressions and clicks per minute", "Impressions and clicks of each "
                                + "closed minute, summed over the selected campaigns; clicks on the right axis.")
                        .target(Query.last(AD_IMPRESSIONS), "impressions")
                        .target(Target.of(Query.last(AD_CLICKS), "clicks").onRightAxis()).width(8))
                .panel(Panel.timeseries("CTR per minute by campaign", "Clicks / impressions of each closed minute, "
                                + "for the selected campaigns with impressions in it." + TAIL)
                        .target(Query.last(AD_CTR, "campaign"), "{{campaign}}").width(8))
                .panel(Panel.stat("Ad impressions and clicks today", "Impressions and clicks so far today, summed "
                                + "over the selected campaigns.")
                        .target(Query.running(AD_IMPRESSIONS_DAY), "impressions")
                        .target(Query.running(AD_CLICKS_DAY), "clicks").width(8))
                .panel(Panel.timeseries("CPC and CPM per minute by campaign", "Cost per click and per thousand "
                                + "impressions of each closed minute, per selected campaign." + TAIL)
                        .target(Query.last(AD_CPC, "campaign", "currency"), "CPC {{campaign}}")
                        .target(Query.last(AD_CPM, "campaign", "currency"), "CPM {{campaign}}").size(16, 8));
    }

    static Dashboard risk() {
        return new Dashboard("pulse-risk", "Pulse risk",
                "Abnormal orders: the risk alerts the engine's rules fired (docs/alerting.md), today by rule and "
                        + "severity, per minute, and the Prometheus alerts paging on them now. The alert records "
                        + "themselves (hashed key, window, evidence) are on the pulse.alerts topic.", "now-24h")
                .panel(Panel.stat("Risk alerts today by severity", "Risk alerts fired so far today, by the "
                                + "severity of their rule.")
                        .target(Query.running(RISK_ALERTS_DAY, "severity"), "{{severity}}").width(8))
                .panel(Panel.bars("Risk alerts today by rule", "Risk alerts fired so far today, per rule.")
                        .target(Query.running(RISK_ALERTS_DAY, "rule"), "{{rule}}").width(8))
                .panel(Panel.bars("Risk alerts of the latest closed day by rule", "Final counts of the latest "
                                + "closed business day, per rule.")
                        .target(Query.last(RISK_ALERTS_DAY, "rule"), "{{rule}}").width(8))
                .panel(Panel.timeseries("Risk alerts per minute by rule", "Risk alerts fired in each closed "
                                + "event-time minute, per rule (series appear only in minutes with an alert).")
                        .target(Query.last(RISK_ALERTS, "rule"), "{{rule}}"))
                .panel(Panel.table("Risk alerts paging now", "The PulseRiskAlert alerts Prometheus has firing: a "
                                + "rule that fired in the last 5 minutes, with its severity.")
                        .target(Target.expr("ALERTS{alertstate=\"firing\", alertname=\"PulseRiskAlert\"}",
                                "{{rule}}", "short", 0).asTable()));
    }

    static Dashboard pipeline() {
        String eventsIn = JobMetric.EVENTS_IN.prometheusName();
        return new Dashboard("pulse-pipeline", "Pulse pipeline health",
                "Can the numbers be trusted: events in, dead letters, late and duplicate events, the watermark, "
                        + "freshness, consumer lag, checkpoints, restarts and backpressure, from the exporter "
                        + "(pulse_*) and from Flink's Prometheus reporter (flink_*).", "now-1h")
                .panel(Panel.timeseries("Events in per second by stream", "Input records read and parsed by the "
                                + "job, valid or not (Flink reporter).")
                        .target(rate(eventsIn, "stream", "{{stream}}")).width(8))
                .panel(Panel.timeseries("Dead letters per second by stream and reason", "Events dead-lettered with "
                                + "a reason, as the exporter counts them on the dead-letter topic.")
                        .target(rate(EngineMetric.DEAD_LETTERS.prometheusName() + "_total", "stream, reason",
                                "{{stream}} {{reason}}")).width(8))
                .panel(Panel.timeseries("Late and duplicate events per second", "Late events counted (within the "
                                + "allowed lateness, they correct values) and dropped (too late, dead-lettered), "
                                + "and second copies of an event id dropped, by stream (Flink reporter).")
                        .target(rate(JobMetric.LATE_EVENTS_ACCEPTED.prometheusName(), "stream", "late counted {{stream}}"))
                        .target(rate(JobMetric.LATE_EVENTS_DROPPED.prometheusName(), "stream", "late dropped {{stream}}"))
                        .target(rate(JobMetric.DUPLICATES_DROPPED.prometheusName(), "stream", "duplicates {{stream}}"))
                        .width(8))
                .panel(Panel.timeseries("Watermark delay behind the clock", "Wall-clock time minus the event-time "
                                + "watermark of each admission operator: how long after an event its minute can "
                                + "close. Above 5 minutes while events flow pages (PulseWatermarkBehind).")
                        // Flink's reporter writes operator names with "_" for "-": admit-click is admit_click
                        .target(Target.expr("time() - min by (operator_name) ("
                                + FlinkMetric.CURRENT_INPUT_WATERMARK.prometheusName()
                                + "{operator_name=~\"admit_.*\"}) / 1000", "{{operator_name}}", "s", 0)
                                .thresholds(Thresholds.of("green", 60, "orange", 300, "red"))).width(8))
                .panel(Panel.timeseries("Freshness and result delay", "Age of the newest final minute, and the 95th "
                                + "percentile of the time from a window's end to its final value at the exporter.")
                        .target(Target.expr("time() - max(" + EngineMetric.LAST_WINDOW_END.prometheusName()
                                + "{metric!~\".*_day\"})", "age of the newest final minute", "s", 0))
                        .target(Target.expr("histogram_quantile(0.95, sum by (le) (rate("
                                + EngineMetric.RESULT_DELAY.prometheusName() + "_bucket[$__rate_interval])))",
                                "result delay p95", "s", 1)).width(8))
                .panel(Panel.timeseries("Consumer lag: records not read yet", "Records of the input topics the "
                                + "Kafka sources have not read, per source. Rising during a spike is backpressure "
                                + "at work; it must come back to zero.")
                        .target(Target.expr("sum by (operator_name) (" + FlinkMetric.PENDING_RECORDS.prometheusName()
                                + ")", "{{operator_name}}", "short", 0)).width(8))
                .panel(Panel.timeseries("Checkpoint duration and size", "Duration of the latest completed "
                                + "checkpoint, and its size on the right axis. Results reach pulse.metrics "
                                + "exactly-once at each checkpoint.")
                        .target(Target.expr("max(" + FlinkMetric.LAST_CHECKPOINT_DURATION.prometheusName()
                                + ") / 1000", "duration", "s", 1))
                        .target(Target.expr("max(" + FlinkMetric.LAST_CHECKPOINT_SIZE.prometheusName() + ")",
                                "size", "bytes", 0).onRightAxis()).width(8))
                .panel(Panel.stat("Checkpoints and restarts", "Checkpoints completed and failed, and restarts, "
                                + "since the job started. Red from the first failed checkpoint or restart.")
                        .target(Target.expr("max(" + FlinkMetric.COMPLETED_CHECKPOINTS.prometheusName() + ")",
                                "completed", "short", 0))
                        .target(Target.expr("max(" + FlinkMetric.FAILED_CHECKPOINTS.prometheusName() + ")",
                                "failed", "short", 0).thresholds(Thresholds.of("green", 1, "red")))
                        .target(Target.expr("max(" + FlinkMetric.RESTARTS.prometheusName() + ")", "restarts",
                                "short", 0).thresholds(Thresholds.of("green", 1, "red"))).width(8))
                .panel(Panel.timeseries("Backpressure by task", "Milliseconds per second each task waited for "
                                + "buffers downstream; 1000 means it is stalled by the operator after it.")
                        .target(Target.expr("max by (task_name) (" + FlinkMetric.BACKPRESSURED_TIME.prometheusName()
                                + ")", "{{task_name}}", "ms", 0)).width(8))
                .panel(Panel.timeseries("Exporter: records read per second", "Records the exporter read from the "
                                + "results, live and dead-letter topics, and those it could not read.")
                        .target(rate(EngineMetric.RECORDS_CONSUMED.prometheusName() + "_total", "topic", "{{topic}}"))
                        .target(rate(EngineMetric.INVALID_RECORDS.prometheusName() + "_total", "topic",
                                "invalid {{topic}}")).width(8))
                .panel(Panel.stat("Scrape targets up", "Whether Prometheus reaches the exporter and Flink's "
                                + "reporters (1 up, 0 down).")
                        .target(Target.expr("up{job=~\"pulse-exporter|flink\"}", "{{job}} {{instance}}", "short", 0)
                                .thresholds(Thresholds.of("red", 1, "green"))).width(8));
    }

    /** A per-second rate of a counter, summed by the given labels. */
    private static Target rate(String counter, String by, String legend) {
        return Target.expr("sum by (" + by + ") (rate(" + counter + "[$__rate_interval]))", legend, "cps", 3);
    }
}
