package dev.pulse.generator;

/**
 * Opaque, unique ids. Each id is a bijective 64-bit mix of (run token, namespace, counter), so ids never repeat
 * within a run, look random (no sequence an engine could lean on), and a run with another seed or start gets
 * other ids (a restarted demo is not mistaken for duplicates). Clean traffic, fraud incidents and malformed
 * lines count in separate namespaces, so switching one of them on does not renumber the others.
 */
final class Ids {

    enum Kind {
        CLICK_EVENT("c-"), ORDER_EVENT("o-"), AD_EVENT("a-"), SESSION("s-"), ORDER("ord-"), IMPRESSION("imp-"),
        USER("u-"), DEVICE("d-"), ADDRESS("");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    enum Domain { TRAFFIC, FRAUD, MALFORMED }

    private final long token;
    private final int domain;
    private final long[] counters = new long[Kind.values().length];

    Ids(long token, Domain domain) {
        this.token = token;
        this.domain = domain.ordinal();
    }

    /** A run token from the seed and the start: same settings, same ids. */
    static long runToken(long seed, long startMillis) {
        return mix64(seed ^ mix64(startMillis + 0x632BE59BD9B4E019L));
    }

    String next(Kind kind) {
        long namespace = (long) (domain * Kind.values().length + kind.ordinal()) << 48;
        return kind.prefix + hex(mix64(token ^ (namespace | counters[kind.ordinal()]++)));
    }

    /** The finalizer of SplitMix64: a bijection on 64-bit values with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** 16 lower-case hex digits. */
    static String hex(long v) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(out);
    }
}
