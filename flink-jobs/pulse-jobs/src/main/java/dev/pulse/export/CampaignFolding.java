package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.export.LatestValues.Reading;
import dev.pulse.export.LatestValues.Series;
import dev.pulse.export.LatestValues.SeriesKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Bounds the ads' campaign and creative labels at scrape time: the top N campaigns and the top N creatives by
 * spend in the newest business day (then by id, those without spend that day too) keep their own series; every other one is served as {@value #OTHER}, so sums
 * over the label still add up. A folded sum is the sum of its members' values of their newest window (a member
 * whose newest window is older, a campaign quiet this minute, is not in it); a folded ratio (CTR, CPC, CPM, CVR,
 * ROAS, CAC of {@code other}) is recomputed from the folded sums it divides ({@link MetricDefinition#ratio()}).
 * The results topic keeps every campaign; only what Prometheus sees is folded.
 */
final class CampaignFolding {
    static final String OTHER = "other";
    private static final String CAMPAIGN = "campaign";
    private static final String CREATIVE = "creative";

    private final int top;

    /** @param top how many campaigns, and how many creatives, keep their own series */
    CampaignFolding(int top) {
        this.top = top;
    }

    Map<SeriesKey, Series> fold(Map<SeriesKey, Series> all) {
        Set<String> campaigns = topBySpend(all, CAMPAIGN);
        Set<String> creatives = topBySpend(all, CREATIVE);
        Function<SeriesKey, SeriesKey> folded = key -> foldedKey(key, campaigns, creatives);
        // a series whose labels are already "other" (a real campaign of that name) joins what folds into it
        Map<SeriesKey, List<SeriesKey>> groups = new HashMap<>();
        all.keySet().forEach(key -> groups.computeIfAbsent(folded.apply(key), k -> new ArrayList<>()).add(key));
        Map<SeriesKey, Series> shown = new HashMap<>();
        List<SeriesKey> ratios = new ArrayList<>();
        groups.forEach((to, members) -> {
            if (members.size() == 1 && members.get(0).equals(to)) {
                shown.put(to, all.get(to));
            } else if (to.definition().ratio().isPresent()) {
                ratios.add(to);
            } else {
                List<Series> series = members.stream().map(all::get).toList();
                shown.put(to, new Series(sum(series, Series::last), sum(series, Series::current)));
            }
        });
        for (SeriesKey ratioKey : ratios) {
            MetricDefinition.Ratio r = ratioKey.definition().ratio().orElseThrow();
            List<Series> numerator = members(all, r.numerator(), ratioKey, folded);
            List<Series> denominator = members(all, r.denominator(), ratioKey, folded);
            Reading last = ratio(numerator, denominator, Series::last, r.factor());
            Reading current = ratio(numerator, denominator, Series::current, r.factor());
            if (last != null || current != null) {
                shown.put(ratioKey, new Series(last, current));
            }
        }
        return shown;
    }

    /**
     * The label values of the top N by spend in the newest day of the spend series (ties, and those with no spend
     * that day: the smaller id first), among every value the label has in any series.
     */
    private Set<String> topBySpend(Map<SeriesKey, Series> all, String label) {
        int at = MetricDefinition.AD_SPEND_DAY.labels().indexOf(label);
        Map<String, Double> spend = new HashMap<>();
        Instant day = null;
        for (var e : all.entrySet()) {
            int i = e.getKey().definition().labels().indexOf(label);
            if (i >= 0) {
                spend.putIfAbsent(e.getKey().labelValues().get(i), 0.0);
            }
            if (e.getKey().definition() == MetricDefinition.AD_SPEND_DAY) {
                Instant start = newer(e.getValue().last(), e.getValue().current()).windowStart();
                day = day == null || start.isAfter(day) ? start : day;
            }
        }
        for (var e : all.entrySet()) {
            if (e.getKey().definition() == MetricDefinition.AD_SPEND_DAY) {
                Reading r = newer(e.getValue().last(), e.getValue().current());
                if (r.windowStart().equals(day)) {
                    spend.merge(e.getKey().labelValues().get(at), r.value(), Double::sum);
                }
            }
        }
        Set<String> kept = new HashSet<>();
        spend.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(top).forEach(e -> kept.add(e.getKey()));
        return kept;
    }

    private static SeriesKey foldedKey(SeriesKey key, Set<String> campaigns, Set<String> creatives) {
        List<String> names = key.definition().labels();
        int campaign = names.indexOf(CAMPAIGN);
        if (campaign < 0) {
            return key;
        }
        List<String> values = new ArrayList<>(key.labelValues());
        if (!campaigns.contains(values.get(campaign))) {
            values.set(campaign, OTHER);
        }
        int creative = names.indexOf(CREATIVE);
        if (creative >= 0 && !creatives.contains(values.get(creative))) {
            values.set(creative, OTHER);
        }
        return values.equals(key.labelValues()) ? key : new SeriesKey(key.definition(), values);
    }

    /** The series of a sum that fold into the campaign (and, if the ratio has them, other labels) of a ratio. */
    private static List<Series> members(Map<SeriesKey, Series> all, MetricDefinition sum, SeriesKey ratioKey,
                                        Function<SeriesKey, SeriesKey> folded) {
        List<String> ratioLabels = ratioKey.definition().labels();
        List<Series> members = new ArrayList<>();
        all.forEach((key, series) -> {
            if (key.definition() != sum) {
                return;
            }
            SeriesKey to = folded.apply(key);
            for (int i = 0; i < ratioLabels.size(); i++) {
                int at = sum.labels().indexOf(ratioLabels.get(i));
                if (at >= 0 && !to.labelValues().get(at).equals(ratioKey.labelValues().get(i))) {
                    return;
                }
            }
            members.add(series);
        });
        return members;
    }

    /** The sum of the members' readings of the newest window among them; null if none has one. */
    private static Reading sum(List<Series> members, Function<Series, Reading> which) {
        Reading newest = null;
        for (Series s : members) {
            newest = newer(newest, which.apply(s));
        }
        if (newest == null) {
            return null;
        }
        double value = 0;
        Instant received = newest.receivedAt();
        for (Series s : members) {
            Reading r = which.apply(s);
            if (r != null && r.windowStart().equals(newest.windowStart())) {
                value += r.value();
                received = r.receivedAt().isAfter(received) ? r.receivedAt() : received;
            }
        }
        return new Reading(newest.windowStart(), newest.windowEnd(), value, received);
    }

    /** numerator / denominator x factor of the newest window both have, null if none or a zero denominator. */
    private static Reading ratio(List<Series> numerator, List<Series> denominator, Function<Series, Reading> which,
                                 double factor) {
        Reading n = sum(numerator, which);
        Reading d = sum(denominator, which);
        if (n == null || d == null || !n.windowStart().equals(d.windowStart()) || d.value() == 0) {
            return null;
        }
        Instant received = n.receivedAt().isAfter(d.receivedAt()) ? n.receivedAt() : d.receivedAt();
        return new Reading(n.windowStart(), n.windowEnd(), n.value() / d.value() * factor, received);
    }

    private static Reading newer(Reading a, Reading b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.windowStart().isAfter(a.windowStart()) ? a : b;
    }
}
