package dev.pulse.orders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One user's ledger, stored as one {@code long[]} so that an order event costs one state read and one write:
 * {@code [timer, k, k paid days..., then per order its id hash and its OrderLedger.FIELDS fields]}. A user has few
 * orders in the correction horizon; one with more than {@value #MAX_ORDERS} (a reseller, a bot) keeps the newest.
 */
final class UserLedger {
    static final int MAX_ORDERS = 4096;
    private static final int STRIDE = OrderLedger.FIELDS + 1;

    /** The pending timer, 0 for none. */
    long timer;
    /** The business days of the user's paid orders still in a repurchase window, one per order. */
    int[] paidDays = new int[0];
    private final List<long[]> orders = new ArrayList<>();
    private long[] ids = new long[4];

    static UserLedger of(long[] stored) {
        UserLedger user = new UserLedger();
        if (stored == null) {
            return user;
        }
        user.timer = stored[0];
        int k = (int) stored[1];
        user.paidDays = new int[k];
        for (int i = 0; i < k; i++) {
            user.paidDays[i] = (int) stored[2 + i];
        }
        for (int at = 2 + k; at < stored.length; at += STRIDE) {
            user.add(stored[at], Arrays.copyOfRange(stored, at + 1, at + STRIDE));
        }
        return user;
    }

    long[] toArray() {
        long[] a = new long[2 + paidDays.length + orders.size() * STRIDE];
        a[0] = timer;
        a[1] = paidDays.length;
        for (int i = 0; i < paidDays.length; i++) {
            a[2 + i] = paidDays[i];
        }
        int at = 2 + paidDays.length;
        for (int i = 0; i < orders.size(); i++, at += STRIDE) {
            a[at] = ids[i];
            System.arraycopy(orders.get(i), 0, a, at + 1, OrderLedger.FIELDS);
        }
        return a;
    }

    /** The fields of the order with this id hash (changes are kept), a new one if the user has none yet. */
    long[] order(long idHash, Supplier<long[]> newOrder) {
        for (int i = 0; i < orders.size(); i++) {
            if (ids[i] == idHash) {
                return orders.get(i);
            }
        }
        if (orders.size() == MAX_ORDERS) {
            orders.remove(0);
            System.arraycopy(ids, 1, ids, 0, orders.size());
        }
        long[] order = newOrder.get();
        add(idHash, order);
        return order;
    }

    private void add(long idHash, long[] fields) {
        if (orders.size() == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[orders.size()] = idHash;
        orders.add(fields);
    }

    List<long[]> orders() {
        return orders;
    }

    void retainOrders(Predicate<long[]> keep) {
        int kept = 0;
        for (int i = 0; i < orders.size(); i++) {
            if (keep.test(orders.get(i))) {
                ids[kept] = ids[i];
                orders.set(kept++, orders.get(i));
            }
        }
        orders.subList(kept, orders.size()).clear();
    }

    void retainPaidDays(IntPredicate keep) {
        paidDays = Arrays.stream(paidDays).filter(keep).toArray();
    }

    void addPaidDay(int day) {
        paidDays = Arrays.copyOf(paidDays, paidDays.length + 1);
        paidDays[paidDays.length - 1] = day;
    }

    boolean isEmpty() {
        return orders.isEmpty() && paidDays.length == 0;
    }
}
