package dev.pulse.users;

import dev.pulse.model.ClickDimensions;

/**
 * The sums the users family adds up per window, by key: what {@link VisitorActivity} sends and
 * {@link UsersFamily} reports. A minute has one sum per channel and platform pair and one for the total; a
 * business day has all of its sums under one key (a handful of numbers, so one key is no hot spot: the tallies
 * are added up before the shuffle); sessions are counted per day of their end, under their own key.
 */
final class UserSums {
    static final String UV = "uv";
    static final String UV_TOTAL = "uv_total";
    static final String DAY = "day";
    static final String SESSIONS = "sessions";
    static final String SEPARATOR = "|";

    /** Sums of {@link #DAY}. MAU and the cohorts are sent ahead, to the days they count for. */
    static final int DAU_TOTAL = 0;
    static final int NEW_USERS = 1;
    static final int MAU = 2;
    static final int COHORT_D1 = 3;
    static final int RETAINED_D1 = 4;
    static final int COHORT_D7 = 5;
    static final int RETAINED_D7 = 6;
    private static final int DAU_BY_PLATFORM = 7;
    private static final int UV_BY_CHANNEL = DAU_BY_PLATFORM + ClickDimensions.PLATFORMS.size();

    /** Sums of {@link #SESSIONS}. */
    static final int SESSION_COUNT = 0;
    static final int BOUNCES = 1;
    static final int SESSION_MILLIS = 2;

    /** {@code uv|channel|platform} of each pair, made once. */
    private static final String[] UV_KEYS = new String[ClickDimensions.CHANNELS.size()
            * ClickDimensions.PLATFORMS.size()];

    static {
        for (int pair = 0; pair < UV_KEYS.length; pair++) {
            UV_KEYS[pair] = UV + SEPARATOR + ClickDimensions.pairKey(pair);
        }
    }

    private UserSums() {}

    static int dau(int platform) {
        return DAU_BY_PLATFORM + platform;
    }

    static int uvOfChannel(int channel) {
        return UV_BY_CHANNEL + channel;
    }

    /** {@code uv|channel|platform} of a pair. */
    static String uv(int pair) {
        return UV_KEYS[pair];
    }
}
