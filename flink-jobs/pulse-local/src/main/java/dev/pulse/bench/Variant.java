package dev.pulse.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What one benchmark run measures; each reads the same input topics with the same Kafka source settings. */
enum Variant {
    RAW("raw", "the Kafka source's bytes, discarded: the floor of this machine"),
    PARSE("parse", "raw plus Pulse's parsing and validation up to typed events and dead letters, discarded"),
    KEYED("keyed", "parse plus the shuffle to each event's visitor and one read and write of its RocksDB state, "
            + "discarded: the floor of exact per-visitor work"),
    PULSE("pulse", "the metrics job (every family, exactly-once Kafka sinks, RocksDB, checkpoints)"),
    SQL_TUNED("sql-tuned", "the Flink SQL twin, mini-batch and split-distinct on (as Nexmark configures Flink)"),
    SQL_PLAIN("sql-plain", "the Flink SQL twin, mini-batch and split-distinct off");

    final String code;
    final String description;

    Variant(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** Whether the run's output goes to discarding sinks, not to topics. */
    boolean discards() {
        return this == RAW || this == PARSE || this == KEYED;
    }

    boolean isSql() {
        return this == SQL_TUNED || this == SQL_PLAIN;
    }

    static Variant of(String code) {
        for (Variant v : values()) {
            if (v.code.equals(code)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + code + "'; known: "
                + Arrays.stream(values()).map(v -> v.code).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return code;
    }
}
