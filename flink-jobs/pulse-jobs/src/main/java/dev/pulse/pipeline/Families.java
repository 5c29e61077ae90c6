package dev.pulse.pipeline;

import dev.pulse.ads.AdsFamily;
import dev.pulse.config.PulseSettings;
import dev.pulse.funnel.FunnelFamily;
import dev.pulse.orders.OrdersFamily;
import dev.pulse.risk.RiskFamily;
import dev.pulse.traffic.TrafficFamily;
import dev.pulse.users.UsersFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every metric family there is, by its name in {@code pulse.families}. */
public final class Families {
    private static final Map<String, Function<PulseSettings, MetricFamily>> ALL = Map.of(
            "traffic", s -> new TrafficFamily(),
            "orders", s -> new OrdersFamily(s.currency, s.correctionHorizon),
            "users", s -> new UsersFamily(s.usersSketch, s.usersSketchLgK),
            "funnel", s -> new FunnelFamily(s.funnelWindow),
            "ads", s -> new AdsFamily(s.currency, s.adsAttributionWindow, s.correctionHorizon,
                    s.adsBuyerLookback),
            "risk", s -> new RiskFamily(s.riskRules, s.riskKeySalt));

    private Families() {}

    public static List<String> names() {
        return ALL.keySet().stream().sorted().toList();
    }

    /** The families the settings enable, in the order given. */
    public static List<MetricFamily> enabled(PulseSettings settings) {
        List<MetricFamily> families = new ArrayList<>();
        for (String name : settings.families) {
            families.add(ALL.get(name).apply(settings));
        }
        return families;
    }
}
