package dev.pulse.generator;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Ad impressions and clicks. Every paid-ads session starts with an impression and its click; on top of that,
 * campaigns show impressions nobody clicks, as many as each campaign's click-through rate implies, so that
 * clicks / impressions of a campaign is its CTR.
 */
final class AdTraffic {
    private final List<Campaign> campaigns;
    private final double[] clickWeights;
    private final double[] unclickedWeights;
    private final double unclickedPerClick;

    AdTraffic(List<Campaign> campaigns) {
        this.campaigns = campaigns;
        clickWeights = new double[campaigns.size()];
        unclickedWeights = new double[campaigns.size()];
        double clicks = 0;
        double unclicked = 0;
        for (int i = 0; i < campaigns.size(); i++) {
            Campaign c = campaigns.get(i);
            clickWeights[i] = c.weight();
            unclickedWeights[i] = c.weight() * (1 / c.ctr() - 1);
            clicks += clickWeights[i];
            unclicked += unclickedWeights[i];
        }
        unclickedPerClick = unclicked / clicks;
    }

    /** Impressions without a click per paid-ads session, on average over campaigns. */
    double unclickedPerClick() {
        return unclickedPerClick;
    }

    Campaign pickForClick(SplittableRandom r) {
        return campaigns.get(Rand.weighted(r, clickWeights));
    }

    /** The impression and click that bring a paid-ads visit; returns the time of the click. */
    long clickThrough(long t, Visit visit, Campaign campaign, SplittableRandom r, Emitter emitter) {
        String creative = creative(campaign, r);
        String impression = emitter.impression(t, campaign, creative, visit.userId, visit.deviceId());
        long clickAt = t + Rand.seconds(r, 1, 8);
        emitter.adClick(clickAt, impression, campaign, creative, visit.userId, visit.deviceId());
        return clickAt;
    }

    /** An impression shown to a returning user (logged in or not) or a stranger, and not clicked. */
    void unclickedImpression(long t, UserBase users, SplittableRandom r, Emitter emitter) {
        Campaign campaign = campaigns.get(Rand.weighted(r, unclickedWeights));
        String creative = creative(campaign, r);
        if (Rand.chance(r, 0.6)) {
            Visitor v = users.anyKnown(r);
            emitter.impression(t, campaign, creative, Rand.chance(r, 0.8) ? v.userId() : null, v.deviceId());
        } else {
            emitter.impression(t, campaign, creative, null, emitter.ids.next(Ids.Kind.DEVICE));
        }
    }

    private static String creative(Campaign campaign, SplittableRandom r) {
        return campaign.creatives().get(r.nextInt(campaign.creatives().size()));
    }
}
