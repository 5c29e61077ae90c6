package dev.pulse.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ad campaign: where it shows, how it is billed, how often it is clicked and how much of the paid traffic it
 * brings. A CPM campaign pays per impression ({@code price} per thousand), a CPC campaign per click.
 */
record Campaign(String id, String placement, Billing billing, BigDecimal price, double ctr, double weight,
                List<String> creatives) {

    enum Billing { CPM, CPC }

    private static final BigDecimal NOTHING = BigDecimal.ZERO.setScale(2);
    static final int SHOP_CAMPAIGNS = 6;
    static final int MAX_CAMPAIGNS = 100_000;
    /** The share of paid traffic the long tail brings, when there is one. */
    private static final double TAIL_SHARE = 0.3;
    private static final String[] TAIL_PLACEMENTS = {"search_results", "feed", "product_detail", "external"};

    /** Cost of one impression; CPM prices are per thousand, so four decimals keep them exact. */
    BigDecimal impressionCost() {
        return billing == Billing.CPM ? price.divide(BigDecimal.valueOf(1000), 4, RoundingMode.HALF_UP) : NOTHING;
    }

    BigDecimal clickCost() {
        return billing == Billing.CPC ? price : NOTHING;
    }

    /**
     * The shop's campaigns. Prices are set so that attributed GMV / spend lands near each campaign's target
     * ROAS (search ads best, external retargeting worst; about 3 overall), given the paid-ads funnel and the
     * average order value of the model (docs/generator.md shows the arithmetic).
     */
    /**
     * The shop's campaigns and {@code count - 6} small ones: CPC at the price and CTR of the shop's average
     * campaign, two creatives each, bringing {@value #TAIL_SHARE} of the paid traffic between them with a Zipf-like
     * spread (a few big, most tiny), so the spend ranking has a head and a long tail.
     */
    static List<Campaign> withLongTail(int count) {
        List<Campaign> all = new ArrayList<>();
        for (Campaign c : defaults()) {
            all.add(new Campaign(c.id, c.placement, c.billing, c.price, c.ctr,
                    count == SHOP_CAMPAIGNS ? c.weight : c.weight * (1 - TAIL_SHARE), c.creatives));
        }
        int tail = count - SHOP_CAMPAIGNS;
        double harmonic = 0;
        for (int k = 1; k <= tail; k++) {
            harmonic += 1.0 / k;
        }
        for (int k = 1; k <= tail; k++) {
            String id = String.format(Locale.ROOT, "cmp-tail-%05d", k);
            all.add(new Campaign(id, TAIL_PLACEMENTS[k % TAIL_PLACEMENTS.length], Billing.CPC,
                    new BigDecimal("2.00"), 0.035, TAIL_SHARE / k / harmonic, List.of(id + "-a", id + "-b")));
        }
        return all;
    }

    static List<Campaign> defaults() {
        return List.of(
                new Campaign("cmp-home-banner", "home_banner", Billing.CPM, new BigDecimal("64.00"), 0.025, 0.25,
                        List.of("cr-hb-1", "cr-hb-2", "cr-hb-3")),
                new Campaign("cmp-search-brand", "search_results", Billing.CPC, new BigDecimal("1.60"), 0.060, 0.25,
                        List.of("cr-sb-1", "cr-sb-2", "cr-sb-3", "cr-sb-4")),
                new Campaign("cmp-feed-native", "feed", Billing.CPC, new BigDecimal("2.15"), 0.035, 0.20,
                        List.of("cr-fn-1", "cr-fn-2", "cr-fn-3")),
                new Campaign("cmp-live-room", "live_room", Billing.CPM, new BigDecimal("105.00"), 0.050, 0.15,
                        List.of("cr-lr-1", "cr-lr-2")),
                new Campaign("cmp-detail-crosssell", "product_detail", Billing.CPC, new BigDecimal("2.00"), 0.040,
                        0.10, List.of("cr-dc-1", "cr-dc-2")),
                new Campaign("cmp-external-retarget", "external", Billing.CPC, new BigDecimal("2.90"), 0.015, 0.05,
                        List.of("cr-er-1", "cr-er-2")));
    }
}
