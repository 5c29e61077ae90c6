package dev.pulse.catalog;

import java.util.List;

/**
 * Colours that tell a good value from a bad one at a glance, as steps from the lowest value up: {@code base} below
 * the first step, then each step's colour from its value on. The dashboards and the war-room page read them from the
 * catalog ({@link MetricDefinition#thresholds()}), so a range is set in one place.
 */
public record Thresholds(String base, List<Step> steps) {
    /** From {@code from} (inclusive) up to the next step, values are shown in {@code color}. */
    public record Step(double from, String color) {}

    public Thresholds {
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).from() <= steps.get(i - 1).from()) {
                throw new IllegalArgumentException("threshold steps must rise: " + steps);
            }
        }
    }

    public static Thresholds of(String base, double from, String color) {
        return new Thresholds(base, List.of(new Step(from, color)));
    }

    public static Thresholds of(String base, double from1, String color1, double from2, String color2) {
        return new Thresholds(base, List.of(new Step(from1, color1), new Step(from2, color2)));
    }

    /** The colour a value is shown in. */
    public String colorOf(double value) {
        String color = base;
        for (Step step : steps) {
            if (value >= step.from()) {
                color = step.color();
            }
        }
        return color;
    }
}
