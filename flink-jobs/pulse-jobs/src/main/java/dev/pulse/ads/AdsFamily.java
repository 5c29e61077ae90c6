package dev.pulse.ads;

import static dev.pulse.window.WindowValues.sum;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.EventIds;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.AdEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.Contribution;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import dev.pulse.window.Tally;
import dev.pulse.window.WindowValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * Advertising, per event-time minute and per business day ("today so far"): impressions, clicks and spend by
 * campaign, creative and placement (one series per combination seen), and per campaign CTR (clicks /
 * impressions), CPC (spend / clicks) and CPM (spend / impressions x 1000). An impression counts once per
 * impression id and a click always counts, both with their cost: the ad stream's admission
 * ({@link dev.pulse.ingestion.AdmitAds}) passes on what counts, which is added up before the shuffle to its
 * combination and campaign keys, like order events.
 *
 * <p>Attribution, per campaign and business day of payment: a paid order is a conversion of the campaign of the
 * last click within the attribution window before its first payment, by its user or by the anonymous visitor of
 * the device it was paid from ({@link LastAdClicks}, {@link AdAttribution}); conversions, attributed GMV (net, as
 * net GMV), first-time buyers, CVR (conversions / clicks), ROAS (attributed GMV / spend) and CAC (spend /
 * first-time buyers). Those day windows accept corrections for the correction horizon, like net GMV's.
 *
 * <p>Campaign and creative ids are not small bounded sets: the results topic carries every one.
 */
public final class AdsFamily implements MetricFamily {
    private final String currency;
    private final Duration attributionWindow;
    private final Duration correctionHorizon;
    private final Duration buyerLookback;

    public AdsFamily(String currency, Duration attributionWindow, Duration correctionHorizon,
                     Duration buyerLookback) {
        this.currency = currency;
        this.attributionWindow = attributionWindow;
        this.correctionHorizon = correctionHorizon;
        this.buyerLookback = buyerLookback;
    }

    @Override
    public String name() {
        return "ads";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.AD, Stream.ORDER);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        // admission passes each impression once and every click (AdmitAds): what it admits counts
        DataStream<AdEvent> counted = admitted.ads();
        DataStream<PartialSums> events = counted
                .transform("ads-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<>(AdsFamily::addEvent, Period.MINUTE, time.businessTime()))
                .uid("ads-partial");
        // the day windows add up the same minute partials as the minute windows; a campaign's day has one window,
        // with its attribution (campaignDays)
        List<PeriodAggregation.Result> results = List.of(
                PeriodAggregation.aggregate(PeriodAggregation.byKey(events), Period.MINUTE, values(), Stream.AD,
                        "ads-per-minute", time),
                PeriodAggregation.aggregate(PeriodAggregation.byKey(events
                                .filter(p -> !AdSums.isCampaignKey(p.key()))
                                .uid("ad-combination-partials").name("ad-combination-partials")),
                        Period.DAY, values(), Stream.AD, "ads-per-day", time),
                campaignDays(admitted, counted, events, time));
        return Output.of(results);
    }

    /**
     * Per campaign and business day: CTR, CPC and CPM, and the attribution (conversions, attributed GMV and
     * first-time buyers; CVR, ROAS and CAC over the same day's clicks and spend). The admitted clicks stay where
     * they are (keyed by visitor); the payments (few) are shuffled to their user's and device's visitor keys, and
     * the candidates to the user.
     */
    private PeriodAggregation.Result campaignDays(Admitted admitted, DataStream<AdEvent> counted,
                                                  DataStream<PartialSums> events, TimePolicy time) {
        KeyedStream<AdEvent, String> clicks = DataStreamUtils.reinterpretAsKeyedStream(counted
                        .filter(a -> AdEvent.CLICK.equals(a.kind)).uid("ad-counted-clicks").name("ad-counted-clicks"),
                VisitorKeys.<AdEvent>selector(Stream.AD), TypeInformation.of(String.class));
        KeyedStream<OrderPayment, String> payments = admitted.orders()
                .flatMap(AdsFamily::payments, TypeInformation.of(OrderPayment.class))
                .uid("ad-order-payments").name("ad-order-payments")
                .keyBy(p -> p.visitor, TypeInformation.of(String.class));
        DataStream<ClickCandidate> candidates = clicks.connect(payments)
                .process(new LastAdClicks(attributionWindow, time.allowedLateness()),
                        TypeInformation.of(ClickCandidate.class))
                .uid("ad-last-clicks").name("ad-last-clicks");
        DataStream<Tally> attributed = DataStreamUtils.reinterpretAsKeyedStream(admitted.orders(),
                        VisitorKeys.<OrderEvent>selector(Stream.ORDER), TypeInformation.of(String.class))
                .connect(candidates.keyBy(c -> VisitorKeys.user(c.userId), TypeInformation.of(String.class)))
                .process(new AdAttribution(time.allowedLateness(), correctionHorizon, buyerLookback),
                        TypeInformation.of(Tally.class))
                .uid("ad-attribution").name("ad-attribution");
        DataStream<PartialSums> campaignDays = events.filter(p -> AdSums.isCampaignKey(p.key()))
                .uid("ad-campaign-partials").name("ad-campaign-partials")
                .union(Tally.preAggregate(attributed, Period.DAY, "ad-attribution-partial", time));
        // a refund restates the payment's day: those windows wait the correction horizon longer, like net GMV's
        TimePolicy correctable = time.withLateness(time.allowedLateness().plus(correctionHorizon));
        return PeriodAggregation.aggregate(PeriodAggregation.byKey(campaignDays), Period.DAY, campaignDayValues(),
                Stream.AD, "ad-campaigns-per-day", correctable);
    }

    private static void payments(OrderEvent order, Collector<OrderPayment> out) {
        if (OrderEvent.PAID.equals(order.status)) {
            long hash = EventIds.hash(order.orderId);
            long at = order.eventTime().toEpochMilli();
            out.collect(new OrderPayment(VisitorKeys.user(order.userId), order.userId, hash, at));
            out.collect(new OrderPayment(VisitorKeys.device(order.deviceId), order.userId, hash, at));
        }
    }

    /** What a counted impression or click adds to its combination and its campaign. */
    private static void addEvent(AdEvent a, Contribution.Sink to) {
        int slot = AdEvent.IMPRESSION.equals(a.kind) ? AdSums.IMPRESSIONS : AdSums.CLICKS;
        long micros = AdSums.micros(a.cost);
        for (String key : new String[] {AdSums.combinationKey(a.campaignId, a.creativeId, a.placement),
                AdSums.campaignKey(a.campaignId)}) {
            to.addAt(key, slot, 1);
            to.addAt(key, AdSums.SPEND_MICROS, micros);
        }
    }

    /**
     * A combination with any ad event in the window reports impressions, clicks and spend (zeros too); a campaign's
     * minute its ratios ({@link #campaignRatios}). Record names are the same for both periods.
     */
    private WindowValues values() {
        String money = currency;
        return (key, sums, out) -> {
            if (AdSums.isCampaignKey(key)) {
                campaignRatios(key, sums, money, out);
                return;
            }
            String[] l = AdSums.labelsOf(key);
            Map<String, String> labels = Map.of("campaign", l[0], "creative", l[1], "placement", l[2]);
            out.value(MetricDefinition.AD_IMPRESSIONS.recordName(), labels, sum(sums, AdSums.IMPRESSIONS));
            out.value(MetricDefinition.AD_CLICKS.recordName(), labels, sum(sums, AdSums.CLICKS));
            out.value(MetricDefinition.AD_SPEND.recordName(), Map.of("campaign", l[0], "creative", l[1],
                    "placement", l[2], "currency", money), (double) sum(sums, AdSums.SPEND_MICROS) / AdSums.MICROS);
        };
    }

    /**
     * A campaign reports CTR and CPM when it had impressions in the window, CPC when it had clicks: a window with
     * clicks but no impressions (their impressions came in an earlier window, or never) reports CPC only.
     */
    private static void campaignRatios(String key, long[] sums, String currency, WindowValues.ValueSink out) {
        long impressions = sum(sums, AdSums.IMPRESSIONS);
        long clicks = sum(sums, AdSums.CLICKS);
        long micros = sum(sums, AdSums.SPEND_MICROS);
        Map<String, String> campaign = Map.of("campaign", AdSums.campaignOf(key));
        Map<String, String> moneyLabels = Map.of("campaign", AdSums.campaignOf(key), "currency", currency);
        if (impressions > 0) {
            out.value(MetricDefinition.AD_CTR.recordName(), campaign, (double) clicks / impressions);
            // one division of two exact numbers: the double nearest the true value
            out.value(MetricDefinition.AD_CPM.recordName(), moneyLabels, micros / (1000.0 * impressions));
        }
        if (clicks > 0) {
            out.value(MetricDefinition.AD_CPC.recordName(), moneyLabels, micros / ((double) AdSums.MICROS * clicks));
        }
    }

    /**
     * A campaign's day: its ratios ({@link #campaignRatios}); and when it had clicks, spend or conversions, its
     * conversions, attributed GMV and first-time buyers (zeros too), CVR when it had clicks, ROAS when it had
     * spend, CAC when it had first-time buyers.
     */
    private WindowValues campaignDayValues() {
        String money = currency;
        return (key, sums, out) -> {
            campaignRatios(key, sums, money, out);
            long clicks = sum(sums, AdSums.CLICKS);
            long micros = sum(sums, AdSums.SPEND_MICROS);
            long conversions = sum(sums, AdSums.CONVERSIONS);
            long cents = sum(sums, AdSums.ATTRIBUTED_CENTS);
            long buyers = sum(sums, AdSums.FIRST_TIME_BUYERS);
            if (clicks == 0 && micros == 0 && conversions == 0) {
                return;
            }
            String campaign = AdSums.campaignOf(key);
            Map<String, String> labels = Map.of("campaign", campaign);
            Map<String, String> moneyLabels = Map.of("campaign", campaign, "currency", money);
            out.value(MetricDefinition.AD_CONVERSIONS_DAY.recordName(), labels, conversions);
            out.value(MetricDefinition.AD_ATTRIBUTED_GMV_DAY.recordName(), moneyLabels, cents / 100.0);
            out.value(MetricDefinition.AD_FIRST_TIME_BUYERS_DAY.recordName(), labels, buyers);
            if (clicks > 0) {
                out.value(MetricDefinition.AD_CVR_DAY.recordName(), labels, (double) conversions / clicks);
            }
            if (micros > 0) {
                // cents / micros, one division of two exact numbers
                out.value(MetricDefinition.AD_ROAS_DAY.recordName(), labels, cents * 10_000.0 / micros);
            }
            if (buyers > 0) {
                out.value(MetricDefinition.AD_CAC_DAY.recordName(), moneyLabels,
                        micros / ((double) AdSums.MICROS * buyers));
            }
        };
    }
}
