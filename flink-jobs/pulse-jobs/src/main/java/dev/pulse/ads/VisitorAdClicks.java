package dev.pulse.ads;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * What {@link LastAdClicks} keeps of one visitor: its ad clicks still inside an attribution window, and the
 * payments it was asked about that a late click could still change. Parallel arrays, so that a Flink POJO holds
 * them without a string per number. A visitor with more than {@value #MAX} of either keeps the newest.
 */
public class VisitorAdClicks {
    static final int MAX = 1024;

    /** The pending timer, 0 for none. */
    public long timer;
    public long[] clickedAt = new long[0];
    public String[] clickCampaigns = new String[0];
    public long[] paymentOrders = new long[0];
    public long[] paidAt = new long[0];
    public String[] paymentUsers = new String[0];
    /** The time of the click each payment was last given as its candidate, {@link Long#MIN_VALUE} for none. */
    public long[] bestAt = new long[0];

    public VisitorAdClicks() {}

    int clicks() {
        return clickedAt.length;
    }

    int payments() {
        return paidAt.length;
    }

    void addClick(long at, String campaign) {
        int from = clicks() == MAX ? 1 : 0;
        clickedAt = append(Arrays.copyOfRange(clickedAt, from, clicks()), at);
        clickCampaigns = append(Arrays.copyOfRange(clickCampaigns, from, clickCampaigns.length), campaign);
    }

    void addPayment(long order, long at, String user, long best) {
        int from = payments() == MAX ? 1 : 0;
        int n = payments();
        paymentOrders = append(Arrays.copyOfRange(paymentOrders, from, n), order);
        paidAt = append(Arrays.copyOfRange(paidAt, from, n), at);
        paymentUsers = append(Arrays.copyOfRange(paymentUsers, from, n), user);
        bestAt = append(Arrays.copyOfRange(bestAt, from, n), best);
    }

    /** Keeps the clicks for which {@code keep} holds. */
    void retainClicks(LongPredicate keep) {
        int kept = 0;
        for (int i = 0; i < clicks(); i++) {
            if (keep.test(clickedAt[i])) {
                clickedAt[kept] = clickedAt[i];
                clickCampaigns[kept++] = clickCampaigns[i];
            }
        }
        clickedAt = Arrays.copyOf(clickedAt, kept);
        clickCampaigns = Arrays.copyOf(clickCampaigns, kept);
    }

    /** Keeps the payments whose time passes {@code keep}. */
    void retainPayments(LongPredicate keep) {
        int kept = 0;
        for (int i = 0; i < payments(); i++) {
            if (keep.test(paidAt[i])) {
                paymentOrders[kept] = paymentOrders[i];
                paidAt[kept] = paidAt[i];
                paymentUsers[kept] = paymentUsers[i];
                bestAt[kept++] = bestAt[i];
            }
        }
        paymentOrders = Arrays.copyOf(paymentOrders, kept);
        paidAt = Arrays.copyOf(paidAt, kept);
        paymentUsers = Arrays.copyOf(paymentUsers, kept);
        bestAt = Arrays.copyOf(bestAt, kept);
    }

    boolean isEmpty() {
        return clicks() == 0 && payments() == 0;
    }

    private static long[] append(long[] a, long value) {
        long[] grown = Arrays.copyOf(a, a.length + 1);
        grown[a.length] = value;
        return grown;
    }

    private static String[] append(String[] a, String value) {
        String[] grown = Arrays.copyOf(a, a.length + 1);
        grown[a.length] = value;
        return grown;
    }
}
