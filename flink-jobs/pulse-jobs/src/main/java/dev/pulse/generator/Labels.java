package dev.pulse.generator;

import dev.pulse.model.DeadLetterReason;

/** The labels of injected lines, as written to the labels output. Ordinary traffic has no label. */
final class Labels {
    private Labels() {}

    /** Delivered after its event-time minute closed, inside the allowed lateness. */
    static final String LATE = "late";
    /** Delivered hours after its event time: beyond any allowed lateness. */
    static final String VERY_LATE = "very_late";
    /** Delivered a few seconds late, inside the watermark's out-of-orderness bound. */
    static final String OUT_OF_ORDER = "out_of_order";
    /** The same line (same event id) a second time. */
    static final String DUPLICATE = "duplicate";

    static String malformed(DeadLetterReason reason) {
        return "malformed:" + reason.code();
    }

    static String fraud(FraudRule rule) {
        return "fraud:" + rule.code();
    }

    /** Ordinary behaviour that looks a bit like fraud and must not be taken for it. */
    static String lookalike(FraudScenarios.Lookalike kind) {
        return "lookalike:" + kind.code();
    }
}
