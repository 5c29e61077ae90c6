package dev.pulse.generator;

import dev.pulse.json.Json;
import dev.pulse.time.BusinessTime;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Turns each clean event into the lines that go on the wire: delivered on time or delayed (out of order, late,
 * very late), possibly sent twice, possibly followed by a broken variant. Delays are chosen against the
 * engine's own bounds so each label is unambiguous:
 * <ul>
 *   <li>{@code out_of_order}: 0.5 s up to 1 s below the watermark's out-of-orderness after its event time;</li>
 *   <li>{@code late}: 15 s after its event-time minute closed, up to 15 s before the allowed lateness ends;</li>
 *   <li>{@code very_late}: 1 to 3 hours after its event time;</li>
 *   <li>{@code duplicate}: the identical line again, 1 s to 2 min after the first copy;</li>
 *   <li>{@code malformed:<reason>}: an extra broken line with a fresh id, next to its source.</li>
 * </ul>
 * Fraud incidents are left alone (one label per line). Injection draws from its own random stream, so the
 * clean traffic is the same at every injection rate.
 */
final class Injector {
    static final long LATE_AFTER_MINUTE_MIN = 15_000;
    static final long LATE_MARGIN_BEFORE_LIMIT = 15_000;
    static final long VERY_LATE_MIN = 3_600_000;
    static final long VERY_LATE_MAX = 3 * 3_600_000;
    static final long OUT_OF_ORDER_MIN = 500;
    static final long DUPLICATE_MIN = 1_000;
    static final long DUPLICATE_MAX = 120_000;

    private final GeneratorSettings settings;
    private final Ids ids;
    private final Malformer malformer;
    private final SplittableRandom r;

    Injector(GeneratorSettings settings, Ids ids, SplittableRandom random) {
        this.settings = settings;
        this.ids = ids;
        this.r = random;
        this.malformer = new Malformer(random);
    }

    void inject(PendingEvent p, Consumer<GeneratedEvent> out) {
        String json = Json.write(p.event());
        Instant eventTime = Instant.ofEpochMilli(p.time());
        if (p.label() != null) {
            out.accept(new GeneratedEvent(p.stream(), p.key(), json, eventTime, eventTime, p.label(), p.eventId()));
            return;
        }
        double delay = r.nextDouble();
        String label = null;
        long arrival = p.time();
        if (delay < settings.lateRate) {
            long minuteEnd = BusinessTime.minuteStart(p.time()) + BusinessTime.MINUTE_MS;
            long latest = settings.allowedLateness.toMillis() - LATE_MARGIN_BEFORE_LIMIT;
            arrival = minuteEnd + Rand.millis(r, LATE_AFTER_MINUTE_MIN, latest);
            label = Labels.LATE;
        } else if (delay < settings.lateRate + settings.veryLateRate) {
            arrival = p.time() + Rand.millis(r, VERY_LATE_MIN, VERY_LATE_MAX);
            label = Labels.VERY_LATE;
        } else if (delay < settings.lateRate + settings.veryLateRate + settings.outOfOrderRate) {
            arrival = p.time() + Rand.millis(r, OUT_OF_ORDER_MIN, settings.outOfOrderness.toMillis() - 1_000);
            label = Labels.OUT_OF_ORDER;
        }
        Instant arrives = Instant.ofEpochMilli(arrival);
        out.accept(new GeneratedEvent(p.stream(), p.key(), json, eventTime, arrives, label, p.eventId()));

        if (Rand.chance(r, settings.duplicateRate)) {
            Instant again = Instant.ofEpochMilli(arrival + Rand.millis(r, DUPLICATE_MIN, DUPLICATE_MAX));
            out.accept(new GeneratedEvent(p.stream(), p.key(), json, eventTime, again, Labels.DUPLICATE,
                    p.eventId()));
        }
        if (Rand.chance(r, settings.malformedRate)) {
            String id = ids.next(idKind(p));
            Malformer.Broken broken = malformer.breakEvent(p.stream(), json, id);
            out.accept(new GeneratedEvent(p.stream(), p.key(), broken.json(), eventTime, arrives,
                    Labels.malformed(broken.reason()), id));
        }
    }

    private static Ids.Kind idKind(PendingEvent p) {
        return switch (p.stream()) {
            case CLICK -> Ids.Kind.CLICK_EVENT;
            case ORDER -> Ids.Kind.ORDER_EVENT;
            case AD -> Ids.Kind.AD_EVENT;
        };
    }
}
