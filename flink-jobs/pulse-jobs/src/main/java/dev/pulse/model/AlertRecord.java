package dev.pulse.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A risk rule or anomaly that fired (schemas/alert.schema.json). */
public class AlertRecord {
    public String alertId;
    public String rule;
    public String severity;
    /** What the rule fired on, e.g. a hashed user key; never a Prometheus label. */
    public String key;
    public String windowStart;
    public String windowEnd;
    public String firedAt;
    public Evidence evidence = new Evidence();

    public AlertRecord() {}

    /** What made the rule fire: the orders involved, how many, how much. */
    public static class Evidence {
        public List<String> orderIds = new ArrayList<>();
        public long count;
        public BigDecimal amount;
        public String detail;

        public Evidence() {}

        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof Evidence)) return false;
            Evidence e = (Evidence) o;
            return count == e.count && Objects.equals(orderIds, e.orderIds) && Objects.equals(amount, e.amount)
                    && Objects.equals(detail, e.detail);
        }

        @Override
        public int hashCode() {
            return Objects.hash(orderIds, count, amount, detail);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AlertRecord)) return false;
        AlertRecord a = (AlertRecord) o;
        return Objects.equals(alertId, a.alertId) && Objects.equals(rule, a.rule)
                && Objects.equals(severity, a.severity) && Objects.equals(key, a.key)
                && Objects.equals(windowStart, a.windowStart) && Objects.equals(windowEnd, a.windowEnd)
                && Objects.equals(firedAt, a.firedAt) && Objects.equals(evidence, a.evidence);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, rule, key, windowStart);
    }
}
