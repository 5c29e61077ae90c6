package dev.pulse.bench;

import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.Stream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The spike's extra events, generated before the run and kept serialized (the generator cannot make them at the
 * spike's rate on this machine while the job runs): each event's stream, page-view series, key and JSON, packed
 * into large byte chunks rather than millions of objects. The event time inside the JSON is rewritten when the
 * event is sent ({@link #stamp}), so the spike is live traffic whenever it runs.
 */
final class SpikeEvents {
    private static final int CHUNK = 64 << 20;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] TIME_FIELD = "\"event_time\":\"".getBytes(StandardCharsets.US_ASCII);

    /** One generator's events, in its order; the parts are generated side by side and sent interleaved. */
    private final List<List<ByteBuffer>> parts;
    private final long count;

    private SpikeEvents(List<List<ByteBuffer>> parts, long count) {
        this.parts = parts;
        this.count = count;
    }

    long count() {
        return count;
    }

    /**
     * Generates {@code count} events of ordinary traffic, split over {@code threads} generators of the same load
     * run side by side (seeds {@code settings.seed}, +1, ...), one per thread.
     */
    static SpikeEvents generate(GeneratorSettings settings, long count, SeriesWindows series, int threads)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<ByteBuffer>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                GeneratorSettings part = settings.toBuilder().seed(settings.seed + t).build();
                long partCount = count / threads + (t < count % threads ? 1 : 0);
                futures.add(pool.submit(() -> generatePart(part, partCount, series)));
            }
            List<List<ByteBuffer>> parts = new ArrayList<>();
            for (Future<List<ByteBuffer>> f : futures) {
                parts.add(f.get());
            }
            return new SpikeEvents(parts, count);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<ByteBuffer> generatePart(GeneratorSettings settings, long count, SeriesWindows series) {
        List<ByteBuffer> chunks = new ArrayList<>();
        TrafficGenerator generator = new TrafficGenerator(settings);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        chunks.add(chunk);
        for (long i = 0; i < count; i++) {
            if (!generator.hasNext()) {
                throw new IllegalStateException("the generator ended after " + i + " of " + count + " events");
            }
            GeneratedEvent e = generator.next();
            byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
            byte[] json = e.json().getBytes(StandardCharsets.UTF_8);
            int time = indexOf(json, TIME_FIELD) + TIME_FIELD.length;
            int timeEnd = time;
            while (timeEnd < json.length && json[timeEnd] != '"') {
                timeEnd++;
            }
            if (time < TIME_FIELD.length || timeEnd == json.length) {
                throw new IllegalStateException("no event_time in a generated " + e.stream().code() + " event");
            }
            int size = 1 + 2 + 2 + key.length + 4 + 4 + json.length;
            if (chunk.remaining() < size) {
                chunk.flip();
                chunk = ByteBuffer.allocate(Math.max(CHUNK, size));
                chunks.add(chunk);
            }
            chunk.put((byte) e.stream().ordinal());
            chunk.putShort((short) pageViewSeries(e, series));
            chunk.putShort((short) key.length).put(key);
            chunk.putShort((short) time).putShort((short) (timeEnd - time));
            chunk.putInt(json.length).put(json);
        }
        chunk.flip();
        return chunks;
    }

    /** Reads the events back, taking from each part in turn; one reader at a time. */
    Reader reader() {
        return new Reader();
    }

    /** One event as sent: its JSON with the event time to stamp. */
    record Event(Stream stream, int pageViewSeries, byte[] key, byte[] json, int timeAt, int timeLength) {}

    final class Reader {
        private final List<PartReader> readers = parts.stream().map(PartReader::new).toList();
        private int turn;

        /** The next event, or null after the last. */
        Event next() {
            for (int tried = 0; tried < readers.size(); tried++) {
                Event e = readers.get(turn).next();
                turn = (turn + 1) % readers.size();
                if (e != null) {
                    return e;
                }
            }
            return null;
        }
    }

    private static final class PartReader {
        private final List<ByteBuffer> views;
        private int chunk;

        PartReader(List<ByteBuffer> chunks) {
            views = chunks.stream().map(ByteBuffer::duplicate).toList();
        }

        Event next() {
            while (chunk < views.size() && !views.get(chunk).hasRemaining()) {
                chunk++;
            }
            if (chunk == views.size()) {
                return null;
            }
            ByteBuffer b = views.get(chunk);
            Stream stream = Stream.values()[b.get()];
            int series = b.getShort();
            byte[] key = new byte[b.getShort()];
            b.get(key);
            int timeAt = b.getShort();
            int timeLength = b.getShort();
            byte[] json = new byte[b.getInt()];
            b.get(json);
            return new Event(stream, series, key, json, timeAt, timeLength);
        }
    }

    /** The event's JSON with {@code epochMillis} as its event time (RFC 3339, milliseconds, UTC). */
    static byte[] stamp(Event e, long epochMillis) {
        byte[] time = TIME.format(Instant.ofEpochMilli(epochMillis)).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[e.json().length - e.timeLength() + time.length];
        System.arraycopy(e.json(), 0, out, 0, e.timeAt());
        System.arraycopy(time, 0, out, e.timeAt(), time.length);
        System.arraycopy(e.json(), e.timeAt() + e.timeLength(), out, e.timeAt() + time.length,
                e.json().length - e.timeAt() - e.timeLength());
        return out;
    }

    /** The page-view series of a click that counts as one, else -1. */
    private static int pageViewSeries(GeneratedEvent e, SeriesWindows series) {
        if (e.stream() != Stream.CLICK) {
            return -1;
        }
        ClickEvent click = Json.read(e.json(), ClickEvent.class);
        return click.countsAsPageView() ? series.series(click.channel, click.platform) : -1;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
