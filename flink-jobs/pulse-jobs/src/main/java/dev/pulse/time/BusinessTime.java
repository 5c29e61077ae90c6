package dev.pulse.time;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Renders event-time instants in the business time zone (default Asia/Shanghai) with their offset. */
public final class BusinessTime implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long MINUTE_MS = 60_000L;

    private final String zoneId;
    private transient ZoneId zone;

    public BusinessTime(ZoneId zone) {
        this.zoneId = zone.getId();
        this.zone = zone;
    }

    public ZoneId zone() {
        if (zone == null) {
            zone = ZoneId.of(zoneId);
        }
        return zone;
    }

    /** RFC 3339 with the zone's offset, e.g. 2026-11-11T00:01:00+08:00. */
    public String format(long epochMillis) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone()));
    }

    /** Start of the event-time minute holding this instant (minutes align in every real zone). */
    public static long minuteStart(long epochMillis) {
        return Math.floorDiv(epochMillis, MINUTE_MS) * MINUTE_MS;
    }
}
