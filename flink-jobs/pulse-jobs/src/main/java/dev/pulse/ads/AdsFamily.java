package dev.pulse.ads;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.AdEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.Contribution;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import dev.pulse.window.WindowValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * Advertising, per event-time minute and per business day ("today so far"): impressions, clicks and spend by
 * campaign, creative and placement (one series per combination seen), and per campaign CTR (clicks /
 * impressions), CPC (spend / clicks) and CPM (spend / impressions x 1000). An impression counts once per
 * impression id and a click always counts, both with their cost: the per-visitor {@link AdActivity} reads the
 * admitted ad events where they are (keyed by visitor) and passes on those that count; they are added up before
 * the shuffle to their combination and campaign keys, like order events.
 *
 * <p>Campaign and creative ids are not small bounded sets: the results topic carries every one. Folding the long
 * tail for the exporter (top N by spend, the rest as {@code other}) is a later part of the work.
 */
public final class AdsFamily implements MetricFamily {
    private final String currency;
    private final Duration impressionHorizon;

    public AdsFamily(String currency, Duration impressionHorizon) {
        this.currency = currency;
        this.impressionHorizon = impressionHorizon;
    }

    @Override
    public String name() {
        return "ads";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.AD);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        DataStream<AdEvent> counted = DataStreamUtils.reinterpretAsKeyedStream(admitted.ads(),
                        VisitorKeys.<AdEvent>selector(Stream.AD), TypeInformation.of(String.class))
                .process(new AdActivity(time.allowedLateness(), impressionHorizon), TypeInformation.of(AdEvent.class))
                .uid("ad-activity").name("ad-activity");
        // the day windows add up the same minute partials as the minute windows
        KeyedStream<PartialSums, String> partials = PeriodAggregation.byKey(counted
                .transform("ads-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<>(AdsFamily::addEvent, Period.MINUTE, time.businessTime()))
                .uid("ads-partial"));
        List<PeriodAggregation.Result> results = List.of(
                PeriodAggregation.aggregate(partials, Period.MINUTE, values(), Stream.AD, "ads-per-minute", time),
                PeriodAggregation.aggregate(partials, Period.DAY, values(), Stream.AD, "ads-per-day", time));
        List<DataStream<MetricRecord>> values = new ArrayList<>();
        List<DataStream<DeadLetter>> tooLate = new ArrayList<>();
        for (PeriodAggregation.Result r : results) {
            values.add(r.values());
            tooLate.add(r.tooLate());
        }
        return new Output(values, tooLate);
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
     * A combination with any ad event in the window reports impressions, clicks and spend (zeros too); a campaign
     * reports CTR and CPM when it had impressions, CPC when it had clicks: a window with clicks but no impressions
     * (their impressions came in an earlier window, or never) reports CPC only. Record names are the same for both
     * periods.
     */
    private WindowValues values() {
        String money = currency;
        return (key, sums, out) -> {
            long impressions = sum(sums, AdSums.IMPRESSIONS);
            long clicks = sum(sums, AdSums.CLICKS);
            long micros = sum(sums, AdSums.SPEND_MICROS);
            if (AdSums.isCampaignKey(key)) {
                Map<String, String> campaign = Map.of("campaign", AdSums.campaignOf(key));
                Map<String, String> moneyLabels = Map.of("campaign", AdSums.campaignOf(key), "currency", money);
                if (impressions > 0) {
                    out.value(MetricDefinition.AD_CTR.recordName(), campaign, (double) clicks / impressions);
                    // one division of two exact numbers: the double nearest the true value
                    out.value(MetricDefinition.AD_CPM.recordName(), moneyLabels, micros / (1000.0 * impressions));
                }
                if (clicks > 0) {
                    out.value(MetricDefinition.AD_CPC.recordName(), moneyLabels,
                            micros / ((double) AdSums.MICROS * clicks));
                }
                return;
            }
            String[] l = AdSums.labelsOf(key);
            Map<String, String> labels = Map.of("campaign", l[0], "creative", l[1], "placement", l[2]);
            out.value(MetricDefinition.AD_IMPRESSIONS.recordName(), labels, impressions);
            out.value(MetricDefinition.AD_CLICKS.recordName(), labels, clicks);
            out.value(MetricDefinition.AD_SPEND.recordName(), Map.of("campaign", l[0], "creative", l[1],
                    "placement", l[2], "currency", money), (double) micros / AdSums.MICROS);
        };
    }

    private static long sum(long[] sums, int slot) {
        return slot < sums.length ? sums[slot] : 0;
    }
}
