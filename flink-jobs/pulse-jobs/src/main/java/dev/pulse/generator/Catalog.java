package dev.pulse.generator;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * The shop's items: categories with their own price level, item prices log-normal around it (a few cheap
 * basics, a long tail of expensive items), ending in .90 as shops price. Popularity is skewed: a tenth of the
 * items take most views.
 */
final class Catalog {
    static final int ITEMS = 5_000;
    static final int CATEGORIES = 24;
    private static final int POPULAR = 500;
    /** Median item price across categories, CNY; together with items per order it sets the order value. */
    private static final double MEDIAN_PRICE = 105;

    record Item(String id, String categoryId, BigDecimal price) {}

    private final Item[] items = new Item[ITEMS];

    Catalog(SplittableRandom r) {
        // category price levels spread evenly on a log scale (about 0.45x to 2.2x the median), so the seed
        // moves which item costs what but not the shop's average order value
        double[] categoryMedian = new double[CATEGORIES];
        for (int c = 0; c < CATEGORIES; c++) {
            double z = (c + 0.5) / CATEGORIES * 2 - 1; // -1 .. 1
            categoryMedian[c] = MEDIAN_PRICE * StrictMath.exp(0.8 * z);
        }
        for (int i = 0; i < ITEMS; i++) {
            int category = r.nextInt(CATEGORIES);
            double price = Math.max(10, Math.round(Rand.logNormal(r, categoryMedian[category], 0.5))) - 0.10;
            items[i] = new Item("sku-" + (10_000 + i), "cat-" + (100 + category), Rand.money(price));
        }
    }

    Item pick(SplittableRandom r) {
        return items[Rand.chance(r, 0.6) ? r.nextInt(POPULAR) : r.nextInt(ITEMS)];
    }
}
