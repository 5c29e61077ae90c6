package dev.pulse.generator;

import dev.pulse.model.Stream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Counts of lines sent, per stream and per stream and label. Thread-safe: the runner writes, anyone reads. */
public final class GeneratorStats {
    private final AtomicLongArray sent = new AtomicLongArray(Stream.values().length);
    private final Map<Stream, Map<String, LongAdder>> labels = new ConcurrentHashMap<>();

    /** Counts one line as sent. */
    public void record(GeneratedEvent e) {
        sent.incrementAndGet(e.stream().ordinal());
        if (e.label() != null) {
            labels.computeIfAbsent(e.stream(), s -> new ConcurrentHashMap<>())
                    .computeIfAbsent(e.label(), l -> new LongAdder())
                    .increment();
        }
    }

    /** Lines sent to this stream, injected ones included. */
    public long sent(Stream s) {
        return sent.get(s.ordinal());
    }

    public long total() {
        long total = 0;
        for (int i = 0; i < sent.length(); i++) {
            total += sent.get(i);
        }
        return total;
    }

    /** Lines of this stream with this label. */
    public long labelled(Stream s, String label) {
        LongAdder n = labels.getOrDefault(s, Map.of()).get(label);
        return n == null ? 0 : n.sum();
    }

    /** Counts per label for one stream, sorted by label. */
    public Map<String, Long> labels(Stream s) {
        Map<String, Long> out = new TreeMap<>();
        labels.getOrDefault(s, Map.of()).forEach((label, n) -> out.put(label, n.sum()));
        return out;
    }

    /** One line for a stream, e.g. {@code click: 1204 sent (duplicate 12, late 3)}; counts only, never ids. */
    public String summary(Stream s) {
        Map<String, Long> byLabel = labels(s);
        StringBuilder b = new StringBuilder(s.code()).append(": ").append(sent(s)).append(" sent");
        if (!byLabel.isEmpty()) {
            StringBuilder parts = new StringBuilder();
            byLabel.forEach((label, n) ->
                    parts.append(parts.length() == 0 ? "" : ", ").append(label).append(' ').append(n));
            b.append(" (").append(parts).append(')');
        }
        return b.toString();
    }
}
