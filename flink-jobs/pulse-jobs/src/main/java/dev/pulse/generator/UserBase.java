package dev.pulse.generator;

import java.util.SplittableRandom;

/**
 * The shop's registered users, derived from their index by hashing rather than stored, so a large user base
 * costs no memory. The base does not depend on the seed: every run (and every restart of the demo) sees the
 * same users come back, which is what retention and MAU need.
 */
final class UserBase {
    static final String[] PLATFORMS = {"app", "mini_program", "web"};
    /** Chinese shops are app-first; the mini-program (inside a super-app) is second. */
    static final double[] PLATFORM_SHARES = {0.55, 0.25, 0.20};

    private static final long SALT = 0x5DEECE66DL;
    private final int size;

    UserBase(int size) {
        this.size = size;
    }

    int size() {
        return size;
    }

    Visitor known(int index) {
        long h = Ids.mix64(SALT ^ ((long) index << 8));
        String userId = "u-" + Ids.hex(Ids.mix64(h ^ 1));
        String device = "d-" + Ids.hex(Ids.mix64(h ^ 2));
        long h3 = Ids.mix64(h ^ 3);
        String platform = PLATFORMS[bucket(h3)];
        String[] addresses = (h3 & 0x700) == 0
                ? new String[] {Ids.hex(Ids.mix64(h ^ 4)), Ids.hex(Ids.mix64(h ^ 5))}
                : new String[] {Ids.hex(Ids.mix64(h ^ 4))};
        return new Visitor(userId, device, platform, ip(Ids.mix64(h ^ 6)), addresses);
    }

    /** A random returning user: a uniform pick keeps repeat visits rare over hours and common over weeks. */
    Visitor anyKnown(SplittableRandom r) {
        return known(r.nextInt(size));
    }

    /** A first-time visitor on a new device; no account until they register. */
    static Visitor newcomer(Ids ids, SplittableRandom r) {
        String platform = PLATFORMS[Rand.weighted(r, PLATFORM_SHARES)];
        return new Visitor(null, ids.next(Ids.Kind.DEVICE), platform, ip(r.nextLong()), new String[0]);
    }

    /** A private 10.x address: synthetic, never a real host, and 16M of them keep collisions negligible. */
    static String ip(long h) {
        return "10." + ((h >>> 16) & 0xFF) + "." + ((h >>> 8) & 0xFF) + "." + (1 + (h & 0xFF) % 254);
    }

    private static int bucket(long h) {
        double x = (h >>> 11) * 0x1.0p-53;
        return x < PLATFORM_SHARES[0] ? 0 : x < PLATFORM_SHARES[0] + PLATFORM_SHARES[1] ? 1 : 2;
    }
}
