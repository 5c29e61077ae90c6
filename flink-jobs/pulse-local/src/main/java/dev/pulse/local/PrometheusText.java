package dev.pulse.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The samples of a Prometheus text exposition ({@code name{label="value",...} value [timestamp]} lines), read
 * the way the terminal view needs them: by metric name, summed over label sets. Comment and blank lines are
 * skipped; a line that is not a sample is an error naming its line number.
 */
public final class PrometheusText {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(new LineReader(line).sample());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return new PrometheusText(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of every sample of that name, or empty when there is none. */
    public OptionalDouble sum(String name) {
        boolean found = false;
        double sum = 0;
        for (Sample s : samples) {
            if (s.name.equals(name)) {
                found = true;
                sum += s.value;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** Sums of the samples of that name grouped by one label's value (samples without the label under ""). */
    public SortedMap<String, Double> sumBy(String name, String label) {
        SortedMap<String, Double> sums = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name.equals(name)) {
                sums.merge(s.labels.getOrDefault(label, ""), s.value, Double::sum);
            }
        }
        return sums;
    }

    /** Reads one sample line, character by character (label values may hold any character, escaped). */
    private static final class LineReader {
        private final String line;
        private int pos;

        LineReader(String line) {
            this.line = line;
        }

        Sample sample() {
            String name = name();
            Map<String, String> labels = Collections.emptyMap();
            if (pos < line.length() && line.charAt(pos) == '{') {
                labels = labels();
            }
            skipSpaces();
            int start = pos;
            while (pos < line.length() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
                pos++;
            }
            // an optional timestamp may follow the value: the view does not use it
            return new Sample(name, labels, value(line.substring(start, pos)));
        }

        private String name() {
            int start = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException("no metric name");
            }
            return line.substring(start, pos);
        }

        private Map<String, String> labels() {
            Map<String, String> labels = new LinkedHashMap<>();
            pos++; // '{'
            while (true) {
                skipSpaces();
                if (peek() == '}') {
                    pos++;
                    return Collections.unmodifiableMap(labels);
                }
                String label = name();
                skipSpaces();
                expect('=');
                skipSpaces();
                labels.put(label, quoted());
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at column " + (pos + 1));
                }
            }
        }

        private String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    char escaped = next();
                    value.append(switch (escaped) {
                        case 'n' -> '\n';
                        case '\\', '"' -> escaped;
                        default -> throw new IllegalArgumentException("unknown escape \\" + escaped);
                    });
                } else {
                    value.append(c);
                }
            }
        }

        private static double value(String text) {
            switch (text) {
                case "+Inf", "Inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case "NaN" -> {
                    return Double.NaN;
                }
                default -> {
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + text + "' is not a sample value");
                    }
                }
            }
        }

        private static boolean isNameChar(char c, boolean first) {
            return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (!first && c >= '0' && c <= '9');
        }

        private void skipSpaces() {
            while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= line.length()) {
                throw new IllegalArgumentException("line ends too early");
            }
            return line.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + pos);
            }
        }
    }
}
