package dev.pulse.generator;

import dev.pulse.model.Stream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON lines into a directory: {@code clicks.jsonl}, {@code orders.jsonl}, {@code ads.jsonl} (one event per
 * line, in arrival order) and {@code labels.jsonl} (one {@link EventLabel} per injected line). Existing files are
 * replaced.
 */
public final class JsonLinesEventWriter implements EventWriter {
    public static final String LABELS_FILE = "labels.jsonl";

    private final Map<Stream, Writer> streams = new EnumMap<>(Stream.class);
    private final Writer labels;

    public JsonLinesEventWriter(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Stream s : Stream.values()) {
                streams.put(s, open(dir.resolve(fileName(s))));
            }
            labels = open(dir.resolve(LABELS_FILE));
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("cannot create the output files in " + dir, e);
        }
    }

    /** clicks.jsonl, orders.jsonl or ads.jsonl. */
    public static String fileName(Stream stream) {
        return stream.code() + "s.jsonl";
    }

    @Override
    public void write(GeneratedEvent e) throws IOException {
        Writer out = streams.get(e.stream());
        out.write(e.json());
        out.write('\n');
        if (e.label() != null) {
            labels.write(EventLabel.of(e).toJson());
            labels.write('\n');
        }
    }

    @Override
    public void flush() throws IOException {
        for (Writer w : streams.values()) {
            w.flush();
        }
        labels.flush();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Writer w : allWriters()) {
            try {
                w.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<Writer> allWriters() {
        List<Writer> all = new ArrayList<>(streams.values());
        all.add(labels);
        return all;
    }

    private void closeQuietly() {
        for (Writer w : streams.values()) {
            try {
                w.close();
            } catch (IOException ignored) {
                // the constructor is failing already; that error is the one to report
            }
        }
    }

    private static Writer open(Path file) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
    }
}
