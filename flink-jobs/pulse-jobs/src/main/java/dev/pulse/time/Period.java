package dev.pulse.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The periods metrics are computed over, in event time: the minute, and the business day (midnight to midnight
 * in the business time zone, so 23 or 25 hours long across a daylight-saving change).
 */
public enum Period {
    MINUTE("minute"),
    DAY("day");

    private static final long MINUTE_MS = 60_000L;

    private final String code;

    Period(String code) {
        this.code = code;
    }

    /** As written in metric records ({@code "period"}) and used in names. */
    public String code() {
        return code;
    }

    /** Start of the period holding the instant (minutes align in every real zone). */
    public long start(long epochMillis, ZoneId zone) {
        return switch (this) {
            case MINUTE -> Math.floorDiv(epochMillis, MINUTE_MS) * MINUTE_MS;
            case DAY -> day(epochMillis, zone).atStartOfDay(zone).toInstant().toEpochMilli();
        };
    }

    /** End (exclusive) of the period holding the instant. */
    public long end(long epochMillis, ZoneId zone) {
        return switch (this) {
            case MINUTE -> start(epochMillis, zone) + MINUTE_MS;
            case DAY -> day(epochMillis, zone).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        };
    }

    public static Period ofCode(String code) {
        for (Period p : values()) {
            if (p.code.equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown period '" + code + "'");
    }

    private static LocalDate day(long epochMillis, ZoneId zone) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
    }
}
