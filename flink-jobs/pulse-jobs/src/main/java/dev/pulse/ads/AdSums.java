package dev.pulse.ads;

import java.math.BigDecimal;

/**
 * The sums the ads family adds up per window. Two kinds of keys: one per combination of campaign, creative and
 * placement seen (impressions, clicks, spend, reported by all three labels) and one per campaign (the same sums,
 * for CTR, CPC and CPM). Ids are free text, so a key spells each id's length before it: no separator can be
 * mistaken for part of an id. Spend is kept in millionths of the currency unit ("micros"): ingestion admits costs
 * of at most six decimals and bounded, so every sum is exact (impressions bought per thousand cost fractions of
 * a cent).
 */
final class AdSums {
    static final int IMPRESSIONS = 0;
    static final int CLICKS = 1;
    static final int SPEND_MICROS = 2;
    /** Attributed per campaign and business day of the payment ({@link AdAttribution}). */
    static final int CONVERSIONS = 3;
    static final int ATTRIBUTED_CENTS = 4;
    static final int FIRST_TIME_BUYERS = 5;
    static final long MICROS = 1_000_000;

    private static final String COMBINATION = "c|";
    private static final String CAMPAIGN = "k|";

    private AdSums() {}

    static String combinationKey(String campaign, String creative, String placement) {
        return COMBINATION + campaign.length() + ':' + campaign + creative.length() + ':' + creative + placement;
    }

    static String campaignKey(String campaign) {
        return CAMPAIGN + campaign;
    }

    static boolean isCampaignKey(String key) {
        return key.startsWith(CAMPAIGN);
    }

    static String campaignOf(String campaignKey) {
        return campaignKey.substring(CAMPAIGN.length());
    }

    /** The campaign, creative and placement of a combination key. */
    static String[] labelsOf(String combinationKey) {
        int at = COMBINATION.length();
        String[] labels = new String[3];
        for (int i = 0; i < 2; i++) {
            int colon = combinationKey.indexOf(':', at);
            int length = Integer.parseInt(combinationKey, at, colon, 10);
            labels[i] = combinationKey.substring(colon + 1, colon + 1 + length);
            at = colon + 1 + length;
        }
        labels[2] = combinationKey.substring(at);
        return labels;
    }

    static long micros(BigDecimal cost) {
        return cost.movePointRight(6).longValueExact();
    }
}
