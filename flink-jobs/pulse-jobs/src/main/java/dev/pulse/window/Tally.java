package dev.pulse.window;

import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * One visitor's (or order's) contribution to a sum: "+1 to UV of organic|app" in the minute of {@link #time}, "+1
 * to MAU" of a day ahead, "-12.50 to net GMV" of the minute an order was paid. A keyed operator with history sends
 * one when something counts anew, never per event. A Flink POJO.
 */
public class Tally {
    /** The metric and its label values, e.g. {@code uv|organic|app}, {@code day}. */
    public String key;
    /** Which of the key's sums it adds to. */
    public int slot;
    public long value;
    /** Event time (epoch ms) of the window it counts in. */
    public long time;
    /** It counts in that window and in the {@code windows - 1} after it (MAU: the days a visitor newly covers). */
    public int windows = 1;

    public Tally() {}

    public Tally(String key, int slot, long value, long time) {
        this.key = key;
        this.slot = slot;
        this.value = value;
        this.time = time;
    }

    public Tally(String key, int slot, long value, long time, int windows) {
        this(key, slot, value, time);
        this.windows = windows;
    }

    /** Tallies added up per key and window of the period before the shuffle, like events. */
    public static DataStream<PartialSums> preAggregate(DataStream<Tally> tallies, Period period, String name,
                                                       TimePolicy time) {
        return tallies.transform(name, TypeInformation.of(PartialSums.class),
                        new PreAggregate<Tally>((t, to) -> to.addAt(t.key, t.slot, t.value, t.windows),
                                (t, ts) -> t.time, period, time.businessTime()))
                .uid(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tally t && slot == t.slot && value == t.value && time == t.time && windows == t.windows
                && Objects.equals(key, t.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, slot, value, time, windows);
    }

    @Override
    public String toString() {
        return key + "[" + slot + "]+" + value + (windows > 1 ? " in " + windows + " windows" : "");
    }
}
