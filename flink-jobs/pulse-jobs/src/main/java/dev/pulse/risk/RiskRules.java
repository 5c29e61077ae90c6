package dev.pulse.risk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.pulse.ingestion.EventSchemas;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * The settings of every risk rule: the defaults of {@link RiskRule}, overridden by a rules file (YAML or JSON,
 * {@code schemas/risk-rules.schema.json}) that can change without a build. Every mistake in the file is reported
 * at once, with where it is.
 */
public final class RiskRules implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Schema SCHEMA = EventSchemas.load("risk-rules.schema.json");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** A counting rule's window is kept in state per key: days at most. */
    static final Duration MAX_COUNT_WINDOW = Duration.ofDays(7);
    /** The amount outlier's history and the age of a brand-new account. */
    static final Duration MAX_HISTORY = Duration.ofDays(400);

    private final Map<RiskRule, RuleSettings> settings;

    private RiskRules(Map<RiskRule, RuleSettings> settings) {
        this.settings = Collections.unmodifiableMap(new EnumMap<>(settings));
    }

    public static RiskRules defaults() {
        Map<RiskRule, RuleSettings> all = new EnumMap<>(RiskRule.class);
        for (RiskRule rule : RiskRule.values()) {
            all.put(rule, rule.defaults());
        }
        return new RiskRules(all);
    }

    /** The defaults with the file's overrides. */
    public static RiskRules load(Path file) {
        JsonNode doc;
        try {
            doc = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("risk rules file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(doc == null || doc.isMissingNode() ? YAML.createObjectNode() : doc, file.toString());
    }

    static RiskRules parse(JsonNode doc, String source) {
        List<String> errors = new ArrayList<>();
        for (Error e : SCHEMA.validate(doc)) {
            // rules.burst.threshold, as the checks below name a field
            String at = e.getInstanceLocation().toString().replaceFirst("^/", "").replace('/', '.');
            errors.add((at.isEmpty() ? "the file" : at) + ": " + e.getMessage());
        }
        Map<RiskRule, RuleSettings> all = new EnumMap<>(defaults().settings);
        // the rules the schema accepts are checked further, so that every mistake is reported at once
        if (doc.path("rules").isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("rules").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String at = "rules." + entry.getKey();
                if (SCHEMA.validate(ruleDocument(entry.getKey(), entry.getValue())).isEmpty()) {
                    RiskRule rule = RiskRule.of(entry.getKey());
                    all.put(rule, override(rule, all.get(rule), entry.getValue(), at, errors));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid risk rules in " + source + ":\n  " + String.join("\n  ", errors));
        }
        return new RiskRules(all);
    }

    /** A document with only this rule, for the schema to judge it alone. */
    private static JsonNode ruleDocument(String name, JsonNode rule) {
        ObjectNode doc = YAML.createObjectNode();
        doc.putObject("rules").set(name, rule);
        return doc;
    }

    private static RuleSettings override(RiskRule rule, RuleSettings d, JsonNode n, String at, List<String> errors) {
        boolean enabled = n.has("enabled") ? n.get("enabled").asBoolean() : d.enabled();
        Severity severity = n.has("severity") ? Severity.of(n.get("severity").asText()) : d.severity();
        Duration window = n.has("window") ? duration(n.get("window").asText(), at + ".window", errors) : d.window();
        Duration suppression = n.has("suppression")
                ? duration(n.get("suppression").asText(), at + ".suppression", errors) : d.suppression();
        BigDecimal threshold = n.has("threshold") ? n.get("threshold").decimalValue() : d.threshold();
        BigDecimal cap = n.has("cap") ? n.get("cap").decimalValue() : d.cap();
        Duration maxWindow = rule == RiskRule.AMOUNT_OUTLIER || rule == RiskRule.COUPON_ABUSE
                ? MAX_HISTORY : MAX_COUNT_WINDOW;
        if (window != null && (window.isZero() || window.compareTo(maxWindow) > 0)) {
            errors.add(at + ".window: must be above 0 and at most " + TimeUtils.formatWithHighestUnit(maxWindow)
                    + " (state is kept that long per key), got " + TimeUtils.formatWithHighestUnit(window));
        }
        if (rule.counts() && (threshold.signum() <= 0 || threshold.stripTrailingZeros().scale() > 0
                || threshold.compareTo(BigDecimal.valueOf(10_000)) > 0)) {
            errors.add(at + ".threshold: must be a whole number from 1 to 10000 (" + rule.measures() + "), got "
                    + threshold.toPlainString());
        }
        if (rule == RiskRule.AMOUNT_OUTLIER && threshold.compareTo(BigDecimal.ONE) <= 0) {
            errors.add(at + ".threshold: the factor over the user's mean paid amount must be above 1, got "
                    + threshold.toPlainString());
        }
        if (rule == RiskRule.COUPON_ABUSE && threshold.compareTo(BigDecimal.ONE) >= 0) {
            errors.add(at + ".threshold: the discount share must be below 1, got " + threshold.toPlainString());
        }
        if (rule != RiskRule.AMOUNT_OUTLIER && n.has("cap")) {
            errors.add(at + ".cap: only amount_outlier has a cap");
        }
        return new RuleSettings(enabled, severity, window, suppression, threshold,
                rule == RiskRule.AMOUNT_OUTLIER ? cap : null);
    }

    private static Duration duration(String text, String at, List<String> errors) {
        try {
            return TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            errors.add(at + ": '" + text + "' is not a duration (e.g. 90 s, 10 min, 1 h, 2 d)");
            return null;
        }
    }

    public RuleSettings of(RiskRule rule) {
        return settings.get(rule);
    }

    /** Per rule (by ordinal): how long after a firing an admitted event can still fall in its suppression. */
    long[] quietMs(Duration allowedLateness) {
        long[] quiet = new long[RiskRule.values().length];
        for (RiskRule rule : RiskRule.values()) {
            quiet[rule.ordinal()] = of(rule).suppression().toMillis() + allowedLateness.toMillis();
        }
        return quiet;
    }

    public boolean enabled(RiskRule rule) {
        return settings.get(rule).enabled();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RiskRules r && r.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
