package dev.pulse.ingestion;

/**
 * Event ids kept compact: a 64-bit hash (FNV-1a, then MurmurHash3's finalizer to spread it). De-duplication
 * compares hashes among one visitor's events of the last few minutes, where two different ids sharing a hash is
 * a chance of about one in 10^16 per pair.
 */
public final class EventIds {
    private EventIds() {}

    public static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
