package dev.pulse.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the traffic generator produces: seed, time span, base load, promotion spike, injected faults and pacing.
 * Immutable; build with {@link #builder()} (every field has a default) or take {@link #demo(long)}.
 *
 * <p>Defaults: seed 1, start "now" (the only wall-clock input), 1 hour, 120 sessions per minute, 1,000 known
 * users per session per minute, no promotion, no injected faults, fast pacing. The rates the traffic itself
 * follows (conversion, order value, refunds, ad costs) are fixed by the model and documented in
 * docs/generator.md.
 */
public final class GeneratorSettings {

    public final long seed;
    /** First event time; null means the wall-clock time when the generator is created. */
    public final Instant start;
    /** Event-time span: every event has {@code start <= event_time < start + duration}; null means endless. */
    public final Duration duration;
    /** Sessions starting per minute outside a promotion (the base load). */
    public final double sessionsPerMinute;
    /**
     * Registered users who come back (returning visitors are drawn from them); 0 means
     * {@value #KNOWN_USERS_PER_SESSION_PER_MINUTE} per session per minute, about one visit per user per day.
     */
    public final int knownUsers;
    /** A load spike, or null for a flat load. */
    public final Promotion promotion;

    /** Share of events delivered after their minute closed but within {@link #allowedLateness}. */
    public final double lateRate;
    /** Share of events delivered hours after their event time. */
    public final double veryLateRate;
    /** Share of events delivered a few seconds late, inside {@link #outOfOrderness}. */
    public final double outOfOrderRate;
    /** Share of events that are sent a second time (identical line) shortly after. */
    public final double duplicateRate;
    /** Share of events for which an extra broken line is sent. */
    public final double malformedRate;
    /** Labelled fraud incidents per hour of event time (0 = none). */
    public final double fraudIncidentsPerHour;
    /** The engine's watermark bound (pulse.watermark.out-of-orderness): out-of-order delays stay below it. */
    public final Duration outOfOrderness;
    /** The engine's allowed lateness (pulse.lateness.allowed): "late" deliveries stay inside it. */
    public final Duration allowedLateness;

    public final Pacing pacing;
    /**
     * Ad campaigns: the shop's {@value Campaign#SHOP_CAMPAIGNS} ({@link Campaign#defaults()}), or more, the rest a
     * long tail of small ones (a marketplace's sellers' campaigns).
     */
    public final int campaigns;

    private GeneratorSettings(Builder b) {
        seed = b.seed;
        start = b.start;
        duration = b.duration;
        sessionsPerMinute = b.sessionsPerMinute;
        knownUsers = b.knownUsers;
        promotion = b.promotion;
        lateRate = b.lateRate;
        veryLateRate = b.veryLateRate;
        outOfOrderRate = b.outOfOrderRate;
        duplicateRate = b.duplicateRate;
        malformedRate = b.malformedRate;
        fraudIncidentsPerHour = b.fraudIncidentsPerHour;
        outOfOrderness = b.outOfOrderness;
        allowedLateness = b.allowedLateness;
        pacing = b.pacing;
        campaigns = b.campaigns;
    }

    /** Users in the base per session per minute of base load when {@link #knownUsers} is left at 0. */
    public static final int KNOWN_USERS_PER_SESSION_PER_MINUTE = 1000;

    /** The size of the user base: explicit, or scaled to the load so repeat visits look the same at any load. */
    public int knownUserCount() {
        if (knownUsers > 0) {
            return knownUsers;
        }
        long scaled = Math.round(sessionsPerMinute * KNOWN_USERS_PER_SESSION_PER_MINUTE);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1_000, scaled));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The live demo: starts now, never ends, follows the wall clock, a 20x promotion from minute 3 for 5 minutes,
     * and small fault rates so the dead-letter, late and duplicate counters of the engine move.
     */
    public static GeneratorSettings demo(long seed) {
        return builder()
                .seed(seed)
                .start(null)
                .duration(null)
                .sessionsPerMinute(600)
                .promotion(new Promotion(Duration.ofMinutes(3), Duration.ofMinutes(5), 20))
                .lateRate(0.01)
                .veryLateRate(0.001)
                .outOfOrderRate(0.02)
                .duplicateRate(0.005)
                .malformedRate(0.002)
                .fraudIncidentsPerHour(60)
                .pacing(Pacing.realtime())
                .build();
    }

    /** Sessions per minute of {@link #demoHistory}: light, so that days of it are processed in seconds. */
    public static final int HISTORY_SESSIONS_PER_MINUTE = 6;

    /**
     * The days before the live demo, written as fast as possible from {@code start} until {@code end}: a light
     * load with the demo's fault rates and a few fraud incidents, so that yesterday's final values, retention and
     * MAU have something to show from the first minute. Its ids never meet the live run's (another start).
     */
    public static GeneratorSettings demoHistory(long seed, Instant start, Instant end) {
        return demo(seed).toBuilder()
                .start(start)
                .duration(Duration.between(start, end))
                .sessionsPerMinute(HISTORY_SESSIONS_PER_MINUTE)
                .promotion(null)
                .fraudIncidentsPerHour(1)
                .pacing(Pacing.fast())
                .build();
    }

    @Override
    public String toString() {
        return "seed=" + seed + ", start=" + (start == null ? "now" : start)
                + ", duration=" + (duration == null ? "endless" : duration)
                + ", sessionsPerMinute=" + sessionsPerMinute + ", knownUsers=" + knownUserCount()
                + ", promotion=" + (promotion == null ? "none" : promotion)
                + ", late=" + lateRate + ", veryLate=" + veryLateRate + ", outOfOrder=" + outOfOrderRate
                + ", duplicate=" + duplicateRate + ", malformed=" + malformedRate
                + ", fraudPerHour=" + fraudIncidentsPerHour + ", pacing=" + pacing + ", campaigns=" + campaigns;
    }

    /** Builder with the documented defaults; {@link #build()} checks every value and lists all problems. */
    public static final class Builder {
        private long seed = 1;
        private Instant start;
        private Duration duration = Duration.ofHours(1);
        private double sessionsPerMinute = 120;
        private int knownUsers;
        private Promotion promotion;
        private double lateRate;
        private double veryLateRate;
        private double outOfOrderRate;
        private double duplicateRate;
        private double malformedRate;
        private double fraudIncidentsPerHour;
        private Duration outOfOrderness = Duration.ofSeconds(5);
        private Duration allowedLateness = Duration.ofMinutes(2);
        private Pacing pacing = Pacing.fast();
        private int campaigns = Campaign.SHOP_CAMPAIGNS;

        private Builder() {}

        private Builder(GeneratorSettings s) {
            seed = s.seed;
            start = s.start;
            duration = s.duration;
            sessionsPerMinute = s.sessionsPerMinute;
            knownUsers = s.knownUsers;
            promotion = s.promotion;
            lateRate = s.lateRate;
            veryLateRate = s.veryLateRate;
            outOfOrderRate = s.outOfOrderRate;
            duplicateRate = s.duplicateRate;
            malformedRate = s.malformedRate;
            fraudIncidentsPerHour = s.fraudIncidentsPerHour;
            outOfOrderness = s.outOfOrderness;
            allowedLateness = s.allowedLateness;
            pacing = s.pacing;
            campaigns = s.campaigns;
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder start(Instant v) { start = v; return this; }
        public Builder duration(Duration v) { duration = v; return this; }
        public Builder sessionsPerMinute(double v) { sessionsPerMinute = v; return this; }
        public Builder knownUsers(int v) { knownUsers = v; return this; }
        public Builder promotion(Promotion v) { promotion = v; return this; }
        public Builder lateRate(double v) { lateRate = v; return this; }
        public Builder veryLateRate(double v) { veryLateRate = v; return this; }
        public Builder outOfOrderRate(double v) { outOfOrderRate = v; return this; }
        public Builder duplicateRate(double v) { duplicateRate = v; return this; }
        public Builder malformedRate(double v) { malformedRate = v; return this; }
        public Builder fraudIncidentsPerHour(double v) { fraudIncidentsPerHour = v; return this; }
        public Builder outOfOrderness(Duration v) { outOfOrderness = v; return this; }
        public Builder allowedLateness(Duration v) { allowedLateness = v; return this; }
        public Builder pacing(Pacing v) { pacing = v; return this; }
        public Builder campaigns(int v) { campaigns = v; return this; }

        public GeneratorSettings build() {
            List<String> errors = new ArrayList<>();
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                errors.add("duration must be positive, was " + duration);
            }
            if (!(sessionsPerMinute > 0)) {
                errors.add("sessions per minute must be positive, was " + sessionsPerMinute);
            }
            if (knownUsers < 0) {
                errors.add("known users must not be negative (0 = scaled to the load), was " + knownUsers);
            }
            rate("late rate", lateRate, errors);
            rate("very late rate", veryLateRate, errors);
            rate("out-of-order rate", outOfOrderRate, errors);
            rate("duplicate rate", duplicateRate, errors);
            rate("malformed rate", malformedRate, errors);
            if (lateRate + veryLateRate + outOfOrderRate > 1) {
                errors.add("late + very late + out-of-order rates must not exceed 1 (an event is delayed once)");
            }
            if (!(fraudIncidentsPerHour >= 0)) {
                errors.add("fraud incidents per hour must not be negative, was " + fraudIncidentsPerHour);
            }
            if (outOfOrderness == null || outOfOrderness.compareTo(Duration.ofSeconds(2)) < 0) {
                errors.add("out-of-orderness must be at least 2 s (out-of-order delays are 0.5 s up to 1 s below it)");
            }
            if (allowedLateness == null || allowedLateness.compareTo(Duration.ofMinutes(1)) < 0) {
                errors.add("allowed lateness must be at least 1 min (late deliveries need room inside it)");
            }
            if (campaigns < Campaign.SHOP_CAMPAIGNS || campaigns > Campaign.MAX_CAMPAIGNS) {
                errors.add("campaigns must be between " + Campaign.SHOP_CAMPAIGNS + " and " + Campaign.MAX_CAMPAIGNS
                        + ", was " + campaigns);
            }
            if (pacing == null) {
                errors.add("pacing must be set");
            } else if (pacing.mode() == Pacing.Mode.FAST && duration == null) {
                errors.add("fast pacing needs a duration: an endless run would never stop");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("Invalid generator settings: " + String.join("; ", errors));
            }
            return new GeneratorSettings(this);
        }

        private static void rate(String name, double value, List<String> errors) {
            if (!(value >= 0 && value <= 1)) {
                errors.add(name + " must be between 0 and 1, was " + value);
            }
        }
    }
}
