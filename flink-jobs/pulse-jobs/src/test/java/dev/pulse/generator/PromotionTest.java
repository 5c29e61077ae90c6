package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A promotion multiplies the traffic of every stream by its factor while it lasts. */
class PromotionTest {

    @Test
    void theSpikeIsTheConfiguredFactorOverTheBaseline() {
        for (double factor : new double[] {15, 20, 40}) {
            long[] perMinute = eventsPerMinute(new Promotion(Duration.ofMinutes(30), Duration.ofMinutes(20), factor));
            double baseline = mean(perMinute, 5, 30);
            // sessions started in the spike keep clicking for a few minutes: measure from its 5th minute
            double spike = mean(perMinute, 35, 50);
            assertThat(spike / baseline).as("factor %s", factor).isGreaterThanOrEqualTo(10)
                    .isCloseTo(factor, withPercentage(12));
            // and it ends: ten minutes after, the load is back near the baseline
            assertThat(mean(perMinute, 60, 70) / baseline).isBetween(0.8, 1.3);
        }
    }

    @Test
    void promotionOrdersCarryMoreAndLargerDiscounts() {
        Promotion promotion = new Promotion(Duration.ofMinutes(30), Duration.ofMinutes(20), 10);
        List<GeneratedEvent> events = Generated.all(Generated.settings(31, Duration.ofMinutes(80), 40)
                .promotion(promotion).build());
        Instant from = Generated.START.plus(promotion.at());
        Instant to = from.plus(promotion.duration());
        double[] inside = discountShare(events, from, to, true);
        double[] outside = discountShare(events, from, to, false);

        assertThat(inside[0]).isGreaterThan(0.7);
        assertThat(outside[0]).isBetween(0.35, 0.55);
        assertThat(inside[1]).isGreaterThan(outside[1]);
    }

    private static long[] eventsPerMinute(Promotion promotion) {
        long[] counts = new long[80];
        new TrafficGenerator(Generated.settings(29, Duration.ofMinutes(80), 30).promotion(promotion).build())
                .forEachRemaining(e -> counts[(int) Duration.between(Generated.START, e.eventTime()).toMinutes()]++);
        return counts;
    }

    private static double mean(long[] values, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return (double) sum / (to - from);
    }

    /** Share of created orders with a discount, and their mean discount share, inside or outside [from, to). */
    private static double[] discountShare(List<GeneratedEvent> events, Instant from, Instant to, boolean inside) {
        int orders = 0;
        int discounted = 0;
        double shares = 0;
        for (GeneratedEvent e : events) {
            if (e.stream() != Stream.ORDER) {
                continue;
            }
            JsonNode n = Generated.json(e);
            boolean in = !e.eventTime().isBefore(from) && e.eventTime().isBefore(to);
            if (!n.get("status").asText().equals("created") || in != inside) {
                continue;
            }
            orders++;
            double discount = n.get("discount").asDouble();
            if (discount > 0) {
                discounted++;
                shares += discount / (discount + n.get("amount").asDouble());
            }
        }
        return new double[] {(double) discounted / orders, shares / discounted};
    }
}
