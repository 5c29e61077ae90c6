package dev.pulse.ads;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * What {@link AdAttribution} keeps of one user: per order in the correction horizon its payment, refunds,
 * cancellation, best click candidate and what was credited for it ({@link #orders}, {@link AdAttribution#FIELDS}
 * longs each, with the candidate's and the credited campaign in parallel arrays), and the first payments of the
 * user's orders in the buyer lookback ({@link #payments}: pairs of time and order hash). A Flink POJO; a user
 * with more than {@value #MAX_ORDERS} orders (a reseller, a bot) keeps the newest.
 */
public class BuyerAttribution {
    static final int MAX_ORDERS = 4096;

    /** The pending timer, 0 for none. */
    public long timer;
    public long[] orders = new long[0];
    public String[] candidateCampaigns = new String[0];
    public String[] creditedCampaigns = new String[0];
    public long[] payments = new long[0];

    public BuyerAttribution() {}

    int orderCount() {
        return candidateCampaigns.length;
    }

    /** The index of the order with this hash, a new one (its fields made by {@code fresh}) if there is none. */
    int order(long hash, LongFunction<long[]> fresh) {
        int n = orderCount();
        for (int i = 0; i < n; i++) {
            if (orders[i * AdAttribution.FIELDS + AdAttribution.ID] == hash) {
                return i;
            }
        }
        int from = n == MAX_ORDERS ? 1 : 0;
        orders = Arrays.copyOfRange(orders, from * AdAttribution.FIELDS, (n + 1) * AdAttribution.FIELDS);
        System.arraycopy(fresh.apply(hash), 0, orders, (n - from) * AdAttribution.FIELDS, AdAttribution.FIELDS);
        candidateCampaigns = Arrays.copyOfRange(candidateCampaigns, from, n + 1);
        creditedCampaigns = Arrays.copyOfRange(creditedCampaigns, from, n + 1);
        return n - from;
    }

    long get(int order, int field) {
        return orders[order * AdAttribution.FIELDS + field];
    }

    void set(int order, int field, long value) {
        orders[order * AdAttribution.FIELDS + field] = value;
    }

    /** Keeps the orders whose index passes {@code keep}. */
    void retainOrders(IntPredicate keep) {
        int kept = 0;
        for (int i = 0; i < orderCount(); i++) {
            if (keep.test(i)) {
                System.arraycopy(orders, i * AdAttribution.FIELDS, orders, kept * AdAttribution.FIELDS,
                        AdAttribution.FIELDS);
                candidateCampaigns[kept] = candidateCampaigns[i];
                creditedCampaigns[kept++] = creditedCampaigns[i];
            }
        }
        orders = Arrays.copyOf(orders, kept * AdAttribution.FIELDS);
        candidateCampaigns = Arrays.copyOf(candidateCampaigns, kept);
        creditedCampaigns = Arrays.copyOf(creditedCampaigns, kept);
    }

    /** Records (or moves earlier) the first payment of an order. */
    void paid(long hash, long at) {
        for (int i = 0; i < payments.length; i += 2) {
            if (payments[i + 1] == hash) {
                payments[i] = Math.min(payments[i], at);
                return;
            }
        }
        int from = payments.length / 2 == MAX_ORDERS ? 2 : 0;
        payments = Arrays.copyOfRange(payments, from, payments.length + 2);
        payments[payments.length - 2] = at;
        payments[payments.length - 1] = hash;
    }

    /**
     * Whether the order paid first at {@code at} is a first purchase: no other order of the user paid earlier within
     * {@code lookbackMs} (orders paid in the same millisecond are all first).
     */
    boolean firstPurchase(long hash, long at, long lookbackMs) {
        for (int i = 0; i < payments.length; i += 2) {
            long other = payments[i];
            if (payments[i + 1] != hash && other < at && at - other <= lookbackMs) {
                return false;
            }
        }
        return true;
    }

    /** Keeps the payments whose time passes {@code keep}. */
    void retainPayments(LongPredicate keep) {
        int kept = 0;
        for (int i = 0; i < payments.length; i += 2) {
            if (keep.test(payments[i])) {
                payments[kept++] = payments[i];
                payments[kept++] = payments[i + 1];
            }
        }
        payments = Arrays.copyOf(payments, kept);
    }

    boolean isEmpty() {
        return orderCount() == 0 && payments.length == 0;
    }
}
