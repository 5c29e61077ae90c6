package dev.pulse.ingestion;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the common RFC 3339 notation {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|-hh:mm)} without a
 * formatter: years 1000 to 9999, 1 to 9 fraction digits, upper-case T and Z, no leap second, no "-00:00".
 * Anything else gives null and is left to the schema validator and the full binding.
 */
final class Rfc3339 {
    private Rfc3339() {}

    static Instant parse(String s) {
        return parse(s.toCharArray(), 0, s.length());
    }

    /** The text in {@code chars[from, from + n)}: the parser's own buffer, so no string is made per event. */
    static Instant parse(char[] chars, int from, int n) {
        if (n < 20 || chars[from + 4] != '-' || chars[from + 7] != '-' || chars[from + 10] != 'T'
                || chars[from + 13] != ':' || chars[from + 16] != ':') {
            return null;
        }
        int year = digits(chars, from, 4);
        int month = digits(chars, from + 5, 2);
        int day = digits(chars, from + 8, 2);
        int hour = digits(chars, from + 11, 2);
        int minute = digits(chars, from + 14, 2);
        int second = digits(chars, from + 17, 2);
        if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (chars[from + i] == '.') {
            int start = ++i;
            while (i < n && chars[from + i] >= '0' && chars[from + i] <= '9') {
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = digits(chars, from + start, count);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        char sign = i < n ? chars[from + i] : 0;
        if (i == n - 1 && sign == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (sign == '+' || sign == '-') && chars[from + i + 3] == ':') {
            int oh = digits(chars, from + i + 1, 2);
            int om = digits(chars, from + i + 4, 2);
            if (oh < 0 || om < 0 || oh > 17 || om > 59 || (sign == '-' && oh == 0 && om == 0)) {
                return null;
            }
            int direction = sign == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(direction * oh, direction * om);
        } else {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in chars[from, from + count), or -1 if a character is not a digit. */
    private static int digits(char[] chars, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = chars[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
