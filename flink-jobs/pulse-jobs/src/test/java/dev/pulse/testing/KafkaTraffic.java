package dev.pulse.testing;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Half an hour of valid page views, orders (one user's burst among them, a risk alert) and ads for the tests of the
 * running job on a real broker, the lines to write and the events a recomputation counts; written in time-ordered
 * slices, and closed out by one event per partition well after it, which moves every split's watermark past the
 * traffic (an unbounded job closes its windows only so).
 */
public final class KafkaTraffic {
    private static final String[] CHANNELS = {"organic", "search", "social"};
    private static final String[] PLATFORMS = {"app", "web"};

    public final List<ClickEvent> clicks = new ArrayList<>();
    public final List<OrderEvent> orders = new ArrayList<>();
    public final List<AdEvent> ads = new ArrayList<>();
    private final Map<Stream, List<String>> lines = new EnumMap<>(Stream.class);

    public KafkaTraffic(Instant start, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Stream stream : Stream.values()) {
            lines.put(stream, new ArrayList<>());
        }
        for (int i = 0; i < 3_000; i++) {
            ClickEvent c = Events.pageView("c" + i, start.plusMillis(i * 600L + random.nextLong(2_000)),
                    CHANNELS[random.nextInt(3)], PLATFORMS[random.nextInt(2)]);
            c.userId = "u" + random.nextInt(800);
            add(Stream.CLICK, c, clicks);
        }
        for (int i = 0; i < 600; i++) {
            OrderEvent o = Events.order("o" + i, start.plusMillis(i * 3_000L + random.nextLong(2_000)),
                    random.nextInt(3) == 0 ? "created" : "paid", random.nextInt(10, 900) + ".5" + random.nextInt(10),
                    CHANNELS[random.nextInt(3)]);
            o.userId = "u" + random.nextInt(800);
            add(Stream.ORDER, o, orders);
            if (i == 300) {
                // six orders of one user in 25 s: the burst rule fires once
                for (int k = 0; k < 6; k++) {
                    OrderEvent b = Events.order("burst-" + k, o.eventTime.plusSeconds(5L * k), "created", "50.00",
                            "organic");
                    b.userId = "burst-user";
                    add(Stream.ORDER, b, orders);
                }
            }
        }
        for (int i = 0; i < 900; i++) {
            AdEvent a = Events.ad("a" + i, start.plusMillis(i * 2_000L + random.nextLong(2_000)),
                    i % 6 == 0 ? AdEvent.CLICK : AdEvent.IMPRESSION, "imp-" + (i - i % 6),
                    "cmp-" + random.nextInt(3), "cr-" + random.nextInt(2), "u" + random.nextInt(800),
                    i % 6 == 0 ? "1.60" : "0.064");
            add(Stream.AD, a, ads);
        }
    }

    private <T> void add(Stream stream, T event, List<T> events) {
        events.add(event);
        lines.get(stream).add(Events.json(event));
    }

    /** Every stream's lines, in time order. */
    public Map<Stream, List<String>> lines() {
        return lines;
    }

    /** The k-th of n time-ordered slices of a stream's lines. */
    public List<String> slice(Stream stream, int k, int n) {
        List<String> all = lines.get(stream);
        return all.subList(all.size() * k / n, all.size() * (k + 1) / n);
    }

    /** A stream's lines from the k-th of n slices on. */
    public List<String> from(Stream stream, int k, int n) {
        List<String> all = lines.get(stream);
        return all.subList(all.size() * k / n, all.size());
    }

    /** Writes the k-th of n slices of every stream. */
    public void produceSlice(KafkaTestBroker broker, PulseSettings settings, int k, int n) throws Exception {
        for (Stream stream : Stream.values()) {
            broker.produce(topic(settings, stream), slice(stream, k, n));
        }
    }

    /** One valid event per partition of each topic at {@code at}: every split's watermark passes the traffic. */
    public void closeOut(KafkaTestBroker broker, PulseSettings settings, Instant at) throws Exception {
        broker.produceToEveryPartition(settings.clicksTopic, p -> json(Events.pageView("close-c" + p, at,
                "organic", "app"), clicks));
        broker.produceToEveryPartition(settings.ordersTopic, p -> json(Events.order("close-o" + p, at,
                "created", "1.00", "organic"), orders));
        broker.produceToEveryPartition(settings.adsTopic, p -> json(Events.ad("close-a" + p, at,
                AdEvent.IMPRESSION, "close-imp-" + p, "cmp-0", "cr-0", "close-user", "0.064"), ads));
    }

    /** Every final value of the traffic whose window starts before the close-out's business day. */
    public Map<String, Double> expectedBefore(Instant closeOut, String currency, ZoneId zone) {
        return ValueDiff.windowsBefore(Recompute.all(clicks, orders, ads, currency, zone), closeOut, zone);
    }

    public static String topic(PulseSettings settings, Stream stream) {
        return switch (stream) {
            case CLICK -> settings.clicksTopic;
            case ORDER -> settings.ordersTopic;
            case AD -> settings.adsTopic;
        };
    }

    private static <T> String json(T event, List<T> events) {
        events.add(event);
        return Events.json(event);
    }
}
