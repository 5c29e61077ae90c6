package dev.pulse.ads;

import java.util.Objects;

/**
 * An ad click that may have brought a payment: the latest one a visitor made within the attribution window before
 * it, as far as that visitor's clicks are known. The user's {@link AdAttribution} picks the latest of its candidates.
 * A Flink POJO.
 */
public class ClickCandidate {
    public String userId;
    public long orderHash;
    /** The payment it is a candidate for (epoch ms). */
    public long paidAt;
    public long clickedAt;
    public String campaign;

    public ClickCandidate() {}

    public ClickCandidate(String userId, long orderHash, long paidAt, long clickedAt, String campaign) {
        this.userId = userId;
        this.orderHash = orderHash;
        this.paidAt = paidAt;
        this.clickedAt = clickedAt;
        this.campaign = campaign;
    }

    /**
     * Whether a click at {@code clickedAt} on {@code campaign} is later than the one at {@code thanAt} on
     * {@code thanCampaign}: by time, then (a tie) by campaign id, so the choice does not depend on arrival order.
     */
    static boolean later(long clickedAt, String campaign, long thanAt, String thanCampaign) {
        return clickedAt > thanAt || (clickedAt == thanAt && campaign.compareTo(thanCampaign) > 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClickCandidate c && orderHash == c.orderHash && paidAt == c.paidAt
                && clickedAt == c.clickedAt && Objects.equals(userId, c.userId) && Objects.equals(campaign, c.campaign);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, orderHash, paidAt, clickedAt, campaign);
    }

    @Override
    public String toString() {
        return userId + "/" + Long.toHexString(orderHash) + " paid " + paidAt + ": " + campaign + " at " + clickedAt;
    }
}
