package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exporter's Kafka reader: one consumer, {@code isolation.level=read_committed}, on the final-values, live
 * and dead-letter topics, each record handed to {@link RecordIngest}; final values only once every final-values
 * partition is read to its end, all together (see {@link #finalsReadToTheEnd()}).
 *
 * <p>Partitions are assigned by hand, not through a consumer group rebalance, because every exporter instance
 * must see every partition and the gauges are rebuilt from the topics anyway:
 * <ul>
 *   <li>results topics start at the first record written within the longest staleness before the start (or at
 *       the end): after a restart the gauges show at once what they would have shown had the exporter been
 *       running, without replaying days of history;</li>
 *   <li>the dead-letter topic resumes at the position committed under the exporter's group id (the beginning on
 *       the very first start), so every dead letter is counted once even across restarts: the counter restarts
 *       at 0 with the process, and {@code increase()} then covers what arrived during the downtime.</li>
 * </ul>
 * Topics that do not exist yet (the job creates them on its first write) and partitions added later are picked
 * up every {@link #TOPIC_REFRESH}.
 */
final class ResultsConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsConsumer.class);

    static final Duration TOPIC_REFRESH = Duration.ofSeconds(10);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(5);
    private static final Duration CLIENT_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Far beyond any allowed lateness: a series silent for a day is forgotten (see LatestValues). */
    private static final Duration FORGET_AFTER = Duration.ofDays(1);
    private static final Duration HOUSEKEEPING_INTERVAL = Duration.ofHours(1);
    /** While reading a backlog (a restart's read-back) final values are applied in batches of at most this. */
    static final int MOST_FINALS_WAITING = 50_000;

    private final ExporterSettings settings;
    private final RecordIngest ingest;
    private final LatestValues values;
    private final Clock clock;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Per results partition: offsets below this were on the topic before the exporter saw the partition. */
    private final Map<TopicPartition, Long> backfillEnds = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> deadLetterPositions = new HashMap<>();
    /** Final values read and parsed, not offered yet (see {@link #finalsReadToTheEnd()}). */
    private final List<Runnable> finalsWaiting = new ArrayList<>();
    private boolean deadLetterPositionsDirty;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private long nextRefreshNanos = System.nanoTime();
    private long nextHousekeepingNanos = System.nanoTime() + HOUSEKEEPING_INTERVAL.toNanos();

    ResultsConsumer(ExporterSettings settings, RecordIngest ingest, LatestValues values, Clock clock) {
        this.settings = settings;
        this.ingest = ingest;
        this.values = values;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(properties(settings), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    static Properties properties(ExporterSettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        // final values are written in transactions: only committed ones may reach the screen
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the job creates its topics with the partitions and retention it needs; a reader must not
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // only used when a committed dead-letter position fell out of retention: count what is still there
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** Asks the loop to stop; {@link #run()} then commits the dead-letter position and closes the consumer. */
    void stop() {
        stopRequested.countDown();
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!stopping()) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    // stop() interrupted a blocking call; the loop condition decides
                } catch (TimeoutException e) {
                    // the broker is unreachable or slow: expected while it starts, no stack trace needed
                    LOG.warn("Kafka at {} did not answer in time ({}); retrying in {} s", settings.bootstrapServers(),
                            e.getMessage(), RETRY_PAUSE.toSeconds());
                    pause(RETRY_PAUSE);
                } catch (KafkaException e) {
                    LOG.warn("Reading the results topics failed; retrying in {} s", RETRY_PAUSE.toSeconds(), e);
                    pause(RETRY_PAUSE);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("The exporter's consumer stopped: the served values no longer change", e);
            throw e;
        } finally {
            commitDeadLetterPositionsOnExit();
            consumer.close(CLIENT_CALL_TIMEOUT);
        }
    }

    private void pollOnce() {
        if (System.nanoTime() - nextRefreshNanos >= 0) {
            refreshAssignment();
            nextRefreshNanos = System.nanoTime() + TOPIC_REFRESH.toNanos();
        }
        if (consumer.assignment().isEmpty()) {
            pause(TOPIC_REFRESH);
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            if (record.topic().equals(settings.metricsTopic())) {
                Runnable offer = ingest.prepareFinal(record.value(), record.timestamp(), isBackfill(record));
                if (offer != null) {
                    finalsWaiting.add(offer);
                }
                continue;
            }
            apply(record);
            if (record.topic().equals(settings.deadLettersTopic())) {
                deadLetterPositions.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
                deadLetterPositionsDirty = true;
            }
        }
        if (!finalsWaiting.isEmpty() && (finalsReadToTheEnd() || finalsWaiting.size() >= MOST_FINALS_WAITING)) {
            values.together(() -> finalsWaiting.forEach(Runnable::run));
            finalsWaiting.clear();
        }
        if (deadLetterPositionsDirty) {
            consumer.commitAsync(Map.copyOf(deadLetterPositions), (offsets, e) -> {
                if (e != null) {
                    LOG.debug("Committing the dead-letter position failed; the next commit retries", e);
                }
            });
            deadLetterPositionsDirty = false;
        }
        if (System.nanoTime() - nextHousekeepingNanos >= 0) {
            values.forgetUpdatedBefore(clock.instant().minus(FORGET_AFTER));
            nextHousekeepingNanos = System.nanoTime() + HOUSEKEEPING_INTERVAL.toNanos();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        ingest.accept(record.topic(), record.value(), record.timestamp(), isBackfill(record));
    }

    private boolean isBackfill(ConsumerRecord<byte[], byte[]> record) {
        Long backfillEnd = backfillEnds.get(new TopicPartition(record.topic(), record.partition()));
        return backfillEnd != null && record.offset() < backfillEnd;
    }

    /**
     * Whether every final-values partition has been read up to its last committed record. The job writes each
     * window's set of final values in one transaction (FinalValueSets): once committed, the whole set is there to
     * read, but a poll may return part of it; applied only when nothing committed is left unread, the set shows at
     * once, never half a window's values beside the other half's older ones.
     */
    private boolean finalsReadToTheEnd() {
        for (TopicPartition partition : consumer.assignment()) {
            if (partition.topic().equals(settings.metricsTopic())) {
                OptionalLong lag = consumer.currentLag(partition);
                if (lag.isEmpty() || lag.getAsLong() > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private void refreshAssignment() {
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        List<TopicPartition> added = new ArrayList<>();
        for (String topic : List.of(settings.metricsTopic(), settings.liveMetricsTopic(),
                settings.deadLettersTopic())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, CLIENT_CALL_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                LOG.debug("Topic {} does not exist yet", topic);
                continue;
            }
            for (PartitionInfo info : partitions) {
                TopicPartition partition = new TopicPartition(info.topic(), info.partition());
                if (assigned.add(partition)) {
                    added.add(partition);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(assigned);
        List<TopicPartition> results = new ArrayList<>();
        List<TopicPartition> deadLetters = new ArrayList<>();
        for (TopicPartition partition : added) {
            (partition.topic().equals(settings.deadLettersTopic()) ? deadLetters : results).add(partition);
        }
        seekResults(results);
        seekDeadLetters(deadLetters);
    }

    private void seekResults(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, clock.instant().minus(readBack(p.topic())).toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, CLIENT_CALL_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, CLIENT_CALL_TIMEOUT);
        for (TopicPartition partition : partitions) {
            long end = ends.get(partition);
            OffsetAndTimestamp first = found.get(partition);
            long start = first == null ? end : first.offset();
            consumer.seek(partition, start);
            backfillEnds.put(partition, end);
            LOG.info("Reading {} from offset {} ({} records of the last {} to fill the gauges)",
                    partition, start, end - start, readBack(partition.topic()));
        }
    }

    /**
     * Final values are read back as long as the longest-kept metric is served (a day's final stays for days);
     * running values only as long as a minute's, as the next running update of an open window comes within seconds.
     */
    private Duration readBack(String topic) {
        if (!topic.equals(settings.metricsTopic())) {
            return settings.staleAfter();
        }
        Duration longest = settings.staleAfter();
        for (MetricDefinition definition : MetricDefinition.values()) {
            Duration d = definition.staleAfter(settings.staleAfter());
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest;
    }

    private void seekDeadLetters(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                consumer.committed(new HashSet<>(partitions), CLIENT_CALL_TIMEOUT);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata position = committed.get(partition);
            if (position == null) {
                consumer.seekToBeginning(List.of(partition));
                LOG.info("Reading {} from the beginning (no position committed for group {})",
                        partition, settings.groupId());
            } else {
                consumer.seek(partition, position.offset());
                deadLetterPositions.put(partition, position);
                LOG.info("Reading {} from committed offset {}", partition, position.offset());
            }
        }
    }

    private void commitDeadLetterPositionsOnExit() {
        if (deadLetterPositions.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.commitSync(Map.copyOf(deadLetterPositions), CLIENT_CALL_TIMEOUT);
                return;
            } catch (WakeupException e) {
                // a wakeup from stop() that no blocking call consumed yet: it is spent now, try again
            } catch (KafkaException e) {
                LOG.warn("Could not commit the dead-letter position on exit; some dead letters may be counted again"
                        + " after the restart", e);
                return;
            }
        }
    }

    private boolean stopping() {
        return stopRequested.getCount() == 0;
    }

    private void pause(Duration duration) {
        try {
            stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        }
    }
}
