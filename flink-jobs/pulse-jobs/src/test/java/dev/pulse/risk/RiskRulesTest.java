package dev.pulse.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules file: overrides what it names, keeps every other default, and says what is wrong where. */
class RiskRulesTest {
    @TempDir
    Path dir;

    private RiskRules load(String yaml) throws Exception {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, yaml);
        return RiskRules.load(file);
    }

    @Test
    void anOverrideChangesOnlyWhatItNames() throws Exception {
        RiskRules rules = load("""
                rules:
                  burst:
                    threshold: 8
                    window: 2 min
                    severity: critical
                  amount_outlier:
                    cap: 50000
                """);
        RuleSettings burst = rules.of(RiskRule.BURST);
        assertThat(burst.count()).isEqualTo(8);
        assertThat(burst.window()).isEqualTo(Duration.ofMinutes(2));
        assertThat(burst.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(burst.suppression()).isEqualTo(RiskRule.BURST.defaults().suppression());
        assertThat(rules.of(RiskRule.AMOUNT_OUTLIER).cap()).isEqualByComparingTo(new BigDecimal("50000"));
        assertThat(rules.of(RiskRule.AMOUNT_OUTLIER).threshold()).isEqualByComparingTo("10");
        for (RiskRule rule : RiskRule.values()) {
            if (rule != RiskRule.BURST && rule != RiskRule.AMOUNT_OUTLIER) {
                assertThat(rules.of(rule)).isEqualTo(rule.defaults());
            }
        }
        assertThat(load("")).isEqualTo(RiskRules.defaults());
    }

    @Test
    void everyMistakeIsReportedWithWhereItIs() {
        assertThatThrownBy(() -> load("""
                rules:
                  bursts:
                    threshold: 5
                  burst:
                    thresold: 5
                  multi_address:
                    severity: urgent
                  shared_ip:
                    threshold: 0.5
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules.yml")
                .hasMessageContaining("bursts")
                .hasMessageContaining("rules.burst: property 'thresold'")
                .hasMessageContaining("rules.multi_address.severity")
                // the schema's findings and the further checks, at once
                .hasMessageContaining("rules.shared_ip.threshold: must be a whole number");
        assertThatThrownBy(() -> load("""
                rules:
                  burst:
                    threshold: 2.5
                    window: soon
                  coupon_abuse:
                    threshold: 1.2
                    cap: 10
                  multi_address:
                    window: 30 d
                """))
                .hasMessageContaining("rules.burst.threshold: must be a whole number")
                .hasMessageContaining("rules.burst.window: 'soon' is not a duration")
                .hasMessageContaining("rules.coupon_abuse.threshold: the discount share must be below 1")
                .hasMessageContaining("rules.coupon_abuse.cap: only amount_outlier has a cap")
                .hasMessageContaining("rules.multi_address.window: must be above 0 and at most 7 d");
    }
}
