import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.config.PulseSettings;
import dev.pulse.local.TopicSetup;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The checks of scripts/cluster-smoke.sh that need a Kafka client or JSON, compiled by the script and run on the local
 * runtime's class path (so the smoke test needs nothing but a JDK, Maven and curl). Each prints what it saw and
 * exits with 1 when the deadline passes first.
 *
 * <pre>
 * topics  BOOTSTRAP                     create the Pulse topics (as the demo does)
 * emitted BOOTSTRAP MINUTES DEADLINE_S  say "watching" once connected, wait until final page views of MINUTES minutes
 *                                       are written to pulse.metrics, committed or not (read_uncommitted), and say
 *                                       how many are committed
 * results BOOTSTRAP MINUTES DEADLINE_S  wait until final page views of MINUTES minutes are committed (read_committed)
 *                                       and running updates arrived
 * compare BOOTSTRAP REPLAY_FILE CLOSED_BEFORE
 *                                       compare the committed final values of the minutes starting before
 *                                       CLOSED_BEFORE (ISO instant) with those of a replay (JSON lines)
 * job     REST_URL JOB_ID FAILURES DEADLINE_S CHECKPOINT_DIR
 *                                       wait until the job runs and a checkpoint completed after its last restore,
 *                                       on RocksDB into CHECKPOINT_DIR (the job's settings, not the cluster's);
 *                                       fail on more than FAILURES job failures or on a checkpoint that failed
 *                                       after the restore for another reason than tasks not running yet
 * </pre>
 */
public final class ClusterSmoke {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PulseSettings PULSE = PulseSettings.defaults();

    public static void main(String[] args) throws Exception {
        boolean ok = switch (args[0]) {
            case "topics" -> topics(args[1]);
            case "emitted" -> emitted(args[1], Integer.parseInt(args[2]), seconds(args[3]));
            case "results" -> results(args[1], Integer.parseInt(args[2]), seconds(args[3]));
            case "compare" -> compare(args[1], Path.of(args[2]), Instant.parse(args[3]));
            case "job" -> job(args[1], args[2], Integer.parseInt(args[3]), seconds(args[4]), args[5]);
            default -> throw new IllegalArgumentException("unknown check " + args[0]);
        };
        System.exit(ok ? 0 : 1);
    }

    private static boolean topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, PULSE);
        }
        System.out.println("topics (partitions): " + TopicSetup.partitionsByTopic(PULSE));
        return true;
    }

    private static boolean emitted(String bootstrap, int minutes, Duration deadline) {
        try (FinalValues written = new FinalValues(bootstrap, "read_uncommitted");
             FinalValues committed = new FinalValues(bootstrap, "read_committed")) {
            written.poll();
            committed.poll();
            System.out.println("watching " + PULSE.metricsTopic);
            System.out.flush();
            boolean ok = until(deadline, () -> {
                written.poll();
                committed.poll();
                return written.pageViewMinutes.size() >= minutes;
            });
            System.out.printf("final page views written for %d minutes, committed for %d%n",
                    written.pageViewMinutes.size(), committed.pageViewMinutes.size());
            return ok;
        }
    }

    private static boolean results(String bootstrap, int minutes, Duration deadline) {
        try (FinalValues committed = new FinalValues(bootstrap, "read_committed");
             FinalValues written = new FinalValues(bootstrap, "read_uncommitted");
             KafkaConsumer<String, String> live = consumer(bootstrap, "read_uncommitted", PULSE.liveMetricsTopic)) {
            int[] updates = {0};
            String[] sampleUpdate = {null};
            boolean ok = until(deadline, () -> {
                committed.poll();
                for (ConsumerRecord<String, String> r : live.poll(Duration.ofMillis(100))) {
                    updates[0]++;
                    sampleUpdate[0] = r.value();
                }
                return committed.pageViewMinutes.size() >= minutes && updates[0] > 0;
            });
            // everything written so far, aborted transactions included, to show what read_committed filtered out
            until(Duration.ofSeconds(3), () -> {
                written.poll();
                return false;
            });
            System.out.printf("final values (%s, read_committed): %d records, %d series x minutes, by metric %s%n",
                    PULSE.metricsTopic, committed.records, committed.perSeriesMinute.size(), committed.byMetric);
            System.out.printf("  minutes with final page views: %d (%s .. %s)%n", committed.pageViewMinutes.size(),
                    committed.pageViewMinutes.isEmpty() ? "-" : committed.pageViewMinutes.first(),
                    committed.pageViewMinutes.isEmpty() ? "-" : committed.pageViewMinutes.last());
            // a late event within the allowed lateness corrects a final value already sent: the latest one counts
            System.out.printf("  corrected by late events: %d series x minutes%n", committed.corrected());
            // no input is pending by now, so records not committed are those of aborted transactions
            System.out.printf("  records in aborted or open transactions (read_uncommitted only): %d%n",
                    written.records - committed.records);
            System.out.println("  sample: " + committed.sample);
            System.out.printf("running updates (%s): %d records%n", PULSE.liveMetricsTopic, updates[0]);
            System.out.println("  sample: " + sampleUpdate[0]);
            System.out.println("dead letters (" + PULSE.deadLettersTopic + ", read_committed) by stream and reason: "
                    + deadLetters(bootstrap));
            return ok;
        }
    }

    private static boolean compare(String bootstrap, Path replayFile, Instant closedBefore) throws IOException {
        Map<String, Double> replayed = new TreeMap<>();
        for (String line : Files.readAllLines(replayFile)) {
            JsonNode m = parse(line);
            if (OffsetDateTime.parse(m.path("window_start").asText()).toInstant().isBefore(closedBefore)) {
                replayed.put(seriesMinute(m), m.path("value").asDouble());
            }
        }
        Map<String, Double> streamed = new TreeMap<>();
        try (FinalValues committed = new FinalValues(bootstrap, "read_committed")) {
            // the topic holds what it holds: read until a few polls bring nothing new
            int[] quiet = {0};
            until(Duration.ofSeconds(60), () -> {
                int before = committed.records;
                committed.poll();
                quiet[0] = committed.records == before ? quiet[0] + 1 : 0;
                return quiet[0] >= 10;
            });
            committed.values.forEach((key, value) -> {
                if (OffsetDateTime.parse(key.substring(key.lastIndexOf('@') + 1)).toInstant().isBefore(closedBefore)) {
                    streamed.put(key, value);
                }
            });
        }
        List<String> differences = new ArrayList<>();
        replayed.forEach((key, value) -> {
            Double s = streamed.get(key);
            if (s == null) {
                differences.add("missing from the job's results: " + key + " = " + value);
            } else if (Double.compare(s, value) != 0) {
                differences.add("differs: " + key + " job " + s + ", replay " + value);
            }
        });
        streamed.keySet().stream().filter(k -> !replayed.containsKey(k))
                .forEach(k -> differences.add("not in the replay: " + k + " = " + streamed.get(k)));
        System.out.printf("replay: %d final values of minutes before %s; the job committed %d; %d differences%n",
                replayed.size(), closedBefore, streamed.size(), differences.size());
        differences.stream().limit(10).forEach(d -> System.out.println("  " + d));
        return differences.isEmpty() && !replayed.isEmpty();
    }

    /** Metric, labels and window start: what identifies one final value. */
    private static String seriesMinute(JsonNode m) {
        Map<String, String> labels = new TreeMap<>();
        m.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return m.path("name").asText() + labels + "@" + m.path("window_start").asText();
    }

    /** Dead letters so far by stream and reason (the generator injects no faults here: expected none). */
    private static Map<String, Integer> deadLetters(String bootstrap) {
        Map<String, Integer> counts = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, "read_committed", PULSE.deadLettersTopic)) {
            int[] quiet = {0};
            until(Duration.ofSeconds(10), () -> {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    JsonNode d = parse(r.value());
                    counts.merge(d.path("stream").asText() + "/" + d.path("reason").asText(), 1, Integer::sum);
                }
                quiet[0] = records.isEmpty() ? quiet[0] + 1 : 0;
                return quiet[0] >= 3;
            });
        }
        return counts;
    }

    private static boolean job(String rest, String jobId, int allowedFailures, Duration deadline, String checkpointDir)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = rest + "/jobs/" + jobId;
        JsonNode[] seen = new JsonNode[3];
        boolean ok = until(deadline, () -> {
            seen[0] = get(http, base);
            seen[1] = get(http, base + "/checkpoints");
            seen[2] = get(http, base + "/exceptions");
            long completed = seen[1].path("latest").path("completed").path("id").asLong(-1);
            long restored = seen[1].path("latest").path("restored").path("id").asLong(-1);
            return "RUNNING".equals(seen[0].path("state").asText()) && completed > restored;
        });
        JsonNode job = seen[0];
        JsonNode checkpoints = seen[1];
        JsonNode failures = seen[2].path("exceptionHistory").path("entries");
        JsonNode config = get(http, base + "/checkpoints/config");
        JsonNode counts = checkpoints.path("counts");
        JsonNode latest = checkpoints.path("latest");
        System.out.printf("job %s %s: %s, %d operator chains, parallelism %d%n", job.path("name").asText(), jobId,
                job.path("state").asText(), job.path("vertices").size(), job.path("vertices").path(0).path("parallelism").asInt());
        System.out.printf("  state backend %s, checkpoint storage %s, %s every %d ms, %s on cancellation%n",
                config.path("state_backend").asText(), config.path("checkpoint_storage").asText(),
                config.path("mode").asText(), config.path("interval").asLong(),
                config.path("externalization").path("delete_on_cancellation").asBoolean(true) ? "deleted" : "kept");
        System.out.printf("  checkpoints: %d completed, %d failed; latest %s (%d bytes)%n",
                counts.path("completed").asInt(), counts.path("failed").asInt(),
                latest.path("completed").path("external_path").asText("none"),
                latest.path("completed").path("checkpointed_size").asLong());
        if (latest.hasNonNull("restored")) {
            JsonNode restored = latest.path("restored");
            System.out.printf("  restored from %s %d (%s)%n", restored.path("is_savepoint").asBoolean()
                    ? "savepoint" : "checkpoint", restored.path("id").asLong(), restored.path("external_path").asText());
        }
        for (JsonNode failure : failures) {
            System.out.println("  failure: " + failure.path("stacktrace").asText().lines().findFirst()
                    .orElse(failure.path("exceptionName").asText()));
        }
        long restoredAt = latest.path("restored").path("restore_timestamp").asLong(0);
        long brokenCheckpoints = 0;
        for (JsonNode c : checkpoints.path("history")) {
            if ("FAILED".equals(c.path("status").asText())) {
                String message = c.path("failure_message").asText();
                // expected: one in flight when the job failed over, or one triggered while tasks were (re)starting
                String excuse = c.path("trigger_timestamp").asLong() < restoredAt ? " (in flight at the failure)"
                        : message.startsWith("Trigger checkpoint failure") ? " (tasks not all running yet)" : "";
                brokenCheckpoints += excuse.isEmpty() ? 1 : 0;
                System.out.println("  failed checkpoint " + c.path("id").asLong() + ": " + message + excuse);
            }
        }
        boolean jobSettings = "EmbeddedRocksDBStateBackend".equals(config.path("state_backend").asText())
                && latest.path("completed").path("external_path").asText().startsWith(checkpointDir);
        if (!jobSettings) {
            System.out.println("  expected RocksDB and checkpoints in " + checkpointDir + " (the job's settings)");
        }
        return ok && jobSettings && failures.size() <= allowedFailures && brokenCheckpoints == 0;
    }

    /** The final values on the results topic, read from the start at one isolation level. */
    private static final class FinalValues implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final Map<String, Integer> perSeriesMinute = new HashMap<>();
        /** The latest value of each series and minute. */
        final Map<String, Double> values = new HashMap<>();
        final Map<String, Integer> byMetric = new TreeMap<>();
        final TreeSet<String> pageViewMinutes = new TreeSet<>();
        int records;
        String sample;

        FinalValues(String bootstrap, String isolation) {
            consumer = consumer(bootstrap, isolation, PULSE.metricsTopic);
        }

        void poll() {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                JsonNode m = parse(r.value());
                if (!m.path("final").asBoolean()) {
                    throw new IllegalStateException("a running update on " + PULSE.metricsTopic + ": " + r.value());
                }
                records++;
                String name = m.path("name").asText();
                byMetric.merge(name, 1, Integer::sum);
                perSeriesMinute.merge(seriesMinute(m), 1, Integer::sum);
                values.put(seriesMinute(m), m.path("value").asDouble());
                if ("page_views".equals(name)) {
                    pageViewMinutes.add(m.path("window_start").asText());
                    sample = r.value();
                }
            }
        }

        long corrected() {
            return perSeriesMinute.values().stream().filter(n -> n > 1).count();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static boolean until(Duration deadline, Check check) {
        long end = System.nanoTime() + deadline.toNanos();
        try {
            while (true) {
                if (check.done()) {
                    return true;
                }
                if (System.nanoTime() > end) {
                    return false;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A consumer of every partition of the topic from its beginning, without a consumer group. */
    private static KafkaConsumer<String, String> consumer(String bootstrap, String isolation, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    private static Duration seconds(String s) {
        return Duration.ofSeconds(Long.parseLong(s));
    }
}
