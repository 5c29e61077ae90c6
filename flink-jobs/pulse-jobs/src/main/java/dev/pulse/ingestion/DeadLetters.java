package dev.pulse.ingestion;

import dev.pulse.model.DeadLetter;
import org.apache.flink.util.OutputTag;

/** The side output every ingestion step sends what it cannot count to. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private DeadLetters() {}
}
