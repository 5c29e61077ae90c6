package dev.pulse.risk;

import java.util.Locale;

/** How urgent an alert is (schemas/alert.schema.json); Alertmanager routes by it. */
public enum Severity {
    INFO, WARNING, CRITICAL;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
