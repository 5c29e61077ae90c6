package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's CPU time went, from JFR recordings: Java samples ({@code jdk.ExecutionSample}) and samples of
 * threads inside native code ({@code jdk.NativeMethodSample}, which is how RocksDB's JNI calls show up), minus
 * native samples of threads that only wait (poll, park, sleep, socket reads, RocksDB's native checkpoint). Each
 * sample weighs its event's sampling period, so the two kinds add up to time. A sample is charged to its top frame
 * ("self"), to the library of its innermost non-JDK frame ("by library") and, per operator chain, to what its
 * thread was doing ({@link StackActivity}). JIT compiler and GC threads are not sampled by JFR, so the shares are
 * of the job's own threads. Only samples taken while records flowed count: start-up (class loading, JIT warm-up)
 * and shutdown are left out, as they are from the throughput.
 */
record CpuProfile(long samples, double totalMillis, Map<String, Double> byLibrary, Map<String, Double> byFrame,
                  Map<String, Map<StackActivity, Double>> byChainActivity) {
    private static final String JAVA_SAMPLE = "jdk.ExecutionSample";
    private static final String NATIVE_SAMPLE = "jdk.NativeMethodSample";
    private static final Set<String> SAMPLE_EVENTS = Set.of(JAVA_SAMPLE, NATIVE_SAMPLE);
    /** Also RocksDB's native checkpoint: the task waits there for the flush, whose CPU is on RocksDB's own thread. */
    private static final Pattern WAITING = Pattern.compile("wait0?|park|sleep0?|poll0?|epollWait|accept0?|select0?"
            + "|read0|socketRead0|readBytes|waitForProcessExit\\w*|createCheckpoint");
    /** Package prefix -> library, most specific first. */
    private static final Map<String, String> LIBRARIES = libraries();

    /** One recording and the wall-clock span of it that counts. */
    record Recording(Path file, long fromMillis, long toMillis) {}

    static CpuProfile of(List<Recording> recordings) throws IOException {
        long samples = 0;
        double total = 0;
        Map<String, Double> byLibrary = new TreeMap<>();
        Map<String, Double> byFrame = new TreeMap<>();
        Map<String, Map<StackActivity, Double>> byChainActivity = new TreeMap<>();
        for (Recording recording : recordings) {
            Map<Long, Double> periodMillis = new HashMap<>();
            try (RecordingFile file = new RecordingFile(recording.file())) {
                while (file.hasMoreEvents()) {
                    RecordedEvent event = file.readEvent();
                    String type = event.getEventType().getName();
                    if (type.equals("jdk.ActiveSetting") && "period".equals(event.getString("name"))) {
                        periodMillis.put(event.getLong("id"), millis(event.getString("value")));
                        continue;
                    }
                    long at = event.getStartTime().toEpochMilli();
                    if (!SAMPLE_EVENTS.contains(type) || at < recording.fromMillis() || at > recording.toMillis()) {
                        continue;
                    }
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    List<RecordedFrame> frames = stack.getFrames();
                    RecordedFrame top = frames.get(0);
                    if (type.equals(NATIVE_SAMPLE) && WAITING.matcher(top.getMethod().getName()).matches()) {
                        continue;
                    }
                    double weight = periodMillis.getOrDefault(event.getEventType().getId(),
                            type.equals(JAVA_SAMPLE) ? 10.0 : 20.0);
                    samples++;
                    total += weight;
                    List<String> names = frames.stream().map(CpuProfile::frameName).toList();
                    byFrame.merge(names.get(0), weight, Double::sum);
                    byLibrary.merge(library(frames), weight, Double::sum);
                    byChainActivity.computeIfAbsent(chainOf(event.getThread("sampledThread")),
                                    c -> new EnumMap<>(StackActivity.class))
                            .merge(StackActivity.of(names), weight, Double::sum);
                }
            }
        }
        return new CpuProfile(samples, total, sortedByWeight(byLibrary), sortedByWeight(byFrame), byChainActivity);
    }

    double share(double weight) {
        return totalMillis == 0 ? 0 : weight / totalMillis;
    }

    /** JFR writes periods as "10 ms", "20 ms", "1 s"; anything else (e.g. "everyChunk") counts as unknown. */
    private static double millis(String value) {
        String[] parts = value.trim().split("\\s+");
        try {
            double n = Double.parseDouble(parts[0]);
            return switch (parts.length > 1 ? parts[1] : "ms") {
                case "ns" -> n / 1e6;
                case "us" -> n / 1e3;
                case "s" -> n * 1000;
                default -> n;
            };
        } catch (NumberFormatException e) {
            return Duration.ofMillis(10).toMillis();
        }
    }

    private static String chainOf(RecordedThread thread) {
        return thread == null || thread.getJavaName() == null ? "?" : StackActivity.chainOf(thread.getJavaName());
    }

    private static String frameName(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** The library of the innermost frame outside the JDK; "JDK" when the whole stack is the JDK's. */
    static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (isJdk(type)) {
                continue;
            }
            for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
                if (type.startsWith(library.getKey())) {
                    return library.getValue();
                }
            }
            return "other libraries";
        }
        return "JDK";
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    private static Map<String, String> libraries() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("org.rocksdb.", "RocksDB (JNI)");
        m.put("org.apache.flink.state.rocksdb.", "Flink RocksDB backend");
        m.put("com.fasterxml.jackson.", "Jackson (JSON)");
        m.put("com.networknt.", "JSON Schema validation");
        m.put("org.apache.kafka.", "Kafka client");
        m.put("org.apache.flink.connector.kafka.", "Flink Kafka connector");
        m.put("org.apache.flink.api.common.typeutils.", "Flink serialization");
        m.put("org.apache.flink.api.java.typeutils.", "Flink serialization");
        m.put("org.apache.flink.core.memory.", "Flink serialization");
        m.put("org.apache.flink.runtime.io.", "Flink network and buffers");
        m.put("org.apache.flink.table.", "Flink SQL runtime");
        m.put("org.apache.flink.streaming.runtime.operators.windowing.", "Flink windows");
        m.put("org.apache.flink.", "Flink other");
        m.put("dev.pulse.", "Pulse");
        m.put("org.apache.logging.", "logging");
        return m;
    }

    private static Map<String, Double> sortedByWeight(Map<String, Double> weights) {
        Map<String, Double> sorted = new LinkedHashMap<>();
        weights.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
