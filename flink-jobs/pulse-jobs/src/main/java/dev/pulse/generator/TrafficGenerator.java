package dev.pulse.generator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Deterministic shop traffic for the click, order and ad streams, in arrival order: event-time order except
 * for the injected disorder and lateness. The same settings (with an explicit start) give byte-identical
 * output; everything random comes from one {@link SplittableRandom} seeded with {@code settings.seed}, split
 * into independent streams for the catalog, sessions, ads, fraud and injection.
 *
 * <p>Generation is lazy: sessions are simulated when the event-time frontier reaches them, so an endless run
 * needs memory only for the events still ahead (open sessions, pending payments and refunds, delayed lines).
 */
public final class TrafficGenerator implements Iterator<GeneratedEvent> {

    private final Instant start;
    private final EventTimeline timeline;
    private final Injector injector;
    private final PriorityQueue<Queued> arrivals = new PriorityQueue<>(
            Comparator.comparing((Queued q) -> q.event.arrivalTime()).thenComparingLong(Queued::seq));
    private long arrivalSeq;
    /** Event time of the latest clean event taken: no line still to come arrives before it. */
    private long frontier = Long.MIN_VALUE;
    private boolean cleanDone;

    private record Queued(GeneratedEvent event, long seq) {}

    public TrafficGenerator(GeneratorSettings settings) {
        this(settings, Instant::now);
    }

    /** @param now the wall clock, read once when the settings leave the start open */
    TrafficGenerator(GeneratorSettings settings, Supplier<Instant> now) {
        start = settings.start != null ? settings.start : now.get().truncatedTo(ChronoUnit.MILLIS);
        long startMillis = start.toEpochMilli();
        long end = settings.duration == null ? Long.MAX_VALUE : startMillis + settings.duration.toMillis();
        long token = Ids.runToken(settings.seed, startMillis);

        SplittableRandom root = new SplittableRandom(settings.seed);
        Catalog catalog = new Catalog(root.split());
        SplittableRandom sessionArrivals = root.split();
        SplittableRandom sessions = root.split();
        SplittableRandom impressionArrivals = root.split();
        SplittableRandom impressions = root.split();
        SplittableRandom fraudArrivals = root.split();
        SplittableRandom fraud = root.split();
        SplittableRandom injection = root.split();
        SplittableRandom lookalikeArrivals = root.split();

        timeline = new EventTimeline(end);
        LoadProfile load = new LoadProfile(startMillis, settings.promotion);
        UserBase users = new UserBase(settings.knownUserCount());
        AdTraffic ads = new AdTraffic(Campaign.withLongTail(settings.campaigns));
        Emitter traffic = new Emitter(timeline, new Ids(token, Ids.Domain.TRAFFIC), null);

        ShopperSession session = new ShopperSession(users, catalog, ads, new OrderLifecycle(), load, traffic, sessions);
        source(new PoissonArrivals(load, settings.sessionsPerMinute, startMillis, sessionArrivals), session::start);

        double impressionsPerMinute = settings.sessionsPerMinute * Channel.PAID_ADS.share * ads.unclickedPerClick();
        source(new PoissonArrivals(load, impressionsPerMinute, startMillis, impressionArrivals),
                t -> ads.unclickedImpression(t, users, impressions, traffic));

        if (settings.fraudIncidentsPerHour > 0) {
            FraudScenarios scenarios =
                    new FraudScenarios(catalog, timeline, new Ids(token, Ids.Domain.FRAUD), fraud, end);
            // incidents do not follow the promotion: fraudsters do not wait for the sale
            LoadProfile flat = new LoadProfile(startMillis, null);
            source(new PoissonArrivals(flat, settings.fraudIncidentsPerHour / 60, startMillis, fraudArrivals),
                    scenarios::stage);
            source(new PoissonArrivals(flat, settings.fraudIncidentsPerHour / 60, startMillis, lookalikeArrivals),
                    scenarios::stageLookalike);
        }
        injector = new Injector(settings, new Ids(token, Ids.Domain.MALFORMED), injection);
    }

    private void source(PoissonArrivals arrivals, LongConsumer starter) {
        timeline.addSource(new EventTimeline.Source() {
            @Override
            public long nextStart() {
                return arrivals.peek();
            }

            @Override
            public void fire() {
                starter.accept(arrivals.take());
            }
        });
    }

    /** The first event time (resolved from "now" when the settings left it open). */
    public Instant start() {
        return start;
    }

    @Override
    public boolean hasNext() {
        while (!releasable()) {
            PendingEvent next = timeline.next();
            if (next == null) {
                cleanDone = true;
                break;
            }
            frontier = next.time();
            injector.inject(next, e -> arrivals.add(new Queued(e, arrivalSeq++)));
        }
        return !arrivals.isEmpty();
    }

    @Override
    public GeneratedEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the generator's event-time span is over");
        }
        return arrivals.poll().event;
    }

    private boolean releasable() {
        Queued head = arrivals.peek();
        return head != null && (cleanDone || head.event.arrivalTime().toEpochMilli() <= frontier);
    }
}
