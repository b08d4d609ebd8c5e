package dev.edgeinfer.producer.fleet;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A number given for all device types, for some by name, or both, as options such as {@code --accuracy 0.92} or
 * {@code --accuracy 0.92,onnxruntime-cpu-int8=0.90} take it: a bare value is the default, {@code TYPE=VALUE} sets one
 * type.
 *
 * @param option    the option's name, for error messages
 * @param fallback  the value for types without one of their own; empty when the caller has its own per-type default
 * @param overrides values by device type name
 */
public record PerTypeValues(String option, Optional<Double> fallback, Map<String, Double> overrides) {

    public PerTypeValues {
        overrides = Map.copyOf(overrides);
    }

    /** One value for every type. */
    public static PerTypeValues of(String option, double value) {
        return new PerTypeValues(option, Optional.of(value), Map.of());
    }

    /** No value at all: every type takes the caller's default. */
    public static PerTypeValues none(String option) {
        return new PerTypeValues(option, Optional.empty(), Map.of());
    }

    /**
     * Parses the entries of an option, each a value or {@code TYPE=VALUE}; a null or empty list gives
     * {@code fallback} for all.
     *
     * @param fallback the default when no bare value is given; null for none
     * @throws IllegalArgumentException naming the option and the entry, when an entry is not a number, a bare value
     *                                  or a type is given twice
     */
    public static PerTypeValues parse(String option, List<String> entries, Double fallback) {
        Double bare = null;
        Map<String, Double> overrides = new LinkedHashMap<>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            String entry = raw.strip();
            int equals = entry.indexOf('=');
            if (equals < 0) {
                if (bare != null) {
                    throw new IllegalArgumentException(option + " has two values for all types: " + bare + " and " + entry);
                }
                bare = number(option, entry, entry);
            } else {
                String type = entry.substring(0, equals).strip();
                if (type.isEmpty()) {
                    throw new IllegalArgumentException(option + " entry '" + entry + "' lacks the device type before '='");
                }
                if (overrides.put(type, number(option, entry, entry.substring(equals + 1).strip())) != null) {
                    throw new IllegalArgumentException(option + " gives device type " + type + " twice");
                }
            }
        }
        return new PerTypeValues(option, Optional.ofNullable(bare != null ? bare : fallback), overrides);
    }

    /** The value for a type: its own, else the fallback, else {@code typeDefault}. */
    public double valueFor(String type, double typeDefault) {
        Double own = overrides.get(type);
        return own != null ? own : fallback.orElse(typeDefault);
    }

    /** Whether the type has a value of its own. */
    public boolean names(String type) {
        return overrides.containsKey(type);
    }

    /**
     * Checks that every type named is simulated.
     *
     * @throws IllegalArgumentException naming the option, the unknown type and the simulated ones
     */
    public void requireKnown(Collection<String> types) {
        for (String type : overrides.keySet()) {
            if (!types.contains(type)) {
                throw new IllegalArgumentException(option + " names device type '" + type
                        + "', which is not simulated; the types are " + String.join(", ", types));
            }
        }
    }

    private static double number(String option, String entry, String text) {
        try {
            double value = Double.parseDouble(text);
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException("not finite");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " entry '" + entry + "' is not a number or TYPE=NUMBER", e);
        }
    }
}
