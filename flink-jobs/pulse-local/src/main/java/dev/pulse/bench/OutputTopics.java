package dev.pulse.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what a run wrote, with read_committed: only records of committed transactions count. */
final class OutputTopics {
    private OutputTopics() {}

    /** One record's key and value (null: a tombstone), as written. */
    record KeyedValue(String key, String value) {}

    /** Every committed record value of the topic, in partition order. */
    static List<String> readAll(String bootstrapServers, Map<String, String> clientProperties, String topic) {
        List<String> values = new ArrayList<>();
        for (KeyedValue r : readKeyed(bootstrapServers, clientProperties, topic)) {
            values.add(r.value());
        }
        return values;
    }

    /**
     * An upsert topic read as the table it stands for: for each key its latest value, a key whose latest record is
     * a tombstone left out; in the order the keys first came. (Records of one key are in one partition, in order.)
     */
    static List<String> latestPerKey(List<KeyedValue> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (KeyedValue r : records) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** Every committed record of the topic with its key, in partition order. */
    static List<KeyedValue> readKeyed(String bootstrapServers, Map<String, String> clientProperties, String topic) {
        try (CommittedLog log = new CommittedLog(bootstrapServers, clientProperties, topic)) {
            log.poll();
            return log.records();
        }
    }
}
