package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two simulated hours of the default profile, measured from the JSON alone, land in the healthy ranges of the
 * metrics catalog. 400 sessions a minute (with the user base scaled to it, as by default) keeps the ad figures,
 * which rest on a few thousand paid visits, steady.
 */
class DefaultProfileKpiTest {
    private static TrafficKpis kpis;

    @BeforeAll
    static void generate() {
        kpis = new TrafficKpis();
        new TrafficGenerator(Generated.settings(42, Duration.ofHours(2), 400).build()).forEachRemaining(kpis::add);
    }

    @Test
    void visitToOrderConversionIsThreeToFivePercent() {
        assertThat(kpis.visitors).hasSizeGreaterThan(40_000);
        assertThat(kpis.conversion()).isBetween(0.03, 0.05);
    }

    @Test
    void averageOrderValueIsAbout200Yuan() {
        assertThat(kpis.aov()).isBetween(170.0, 230.0);
    }

    @Test
    void refundsAndCancellationsStayInTheHealthyRange() {
        assertThat(kpis.refundRate()).isBetween(0.02, 0.15);
        assertThat(kpis.cancellationRate()).isBetween(0.04, 0.15);
    }

    @Test
    void paymentSuccessIsPlausible() {
        assertThat(kpis.paymentSuccessRate()).isBetween(0.85, 0.98);
    }

    @Test
    void adsReturnAboutThreeTimesTheirCost() {
        assertThat(kpis.roas()).isBetween(2.5, 3.5);
        assertThat(kpis.ctr()).isBetween(0.025, 0.05);
    }

    @Test
    void aboutAThirdOfClicksAreAnonymous() {
        assertThat(kpis.anonymousClickShare()).isBetween(0.25, 0.45);
    }
}
