package dev.edgeinfer.producer.rate;

import java.util.Locale;

/** How frames arrive over time at a given average rate. */
public enum Arrivals {
    /** Evenly spaced (or in evenly spaced groups): a camera's frame clock. */
    CONSTANT,
    /**
     * A Poisson process: independent arrivals, exponentially distributed gaps (MLPerf LoadGen's server scenario), so
     * frames sometimes come close together and sometimes far apart, as from many independent clients.
     */
    POISSON;

    /**
     * The arrivals named, case-insensitively.
     *
     * @throws IllegalArgumentException naming the choices when the name is none of them
     */
    public static Arrivals parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("arrivals must be constant or poisson, not '" + name + "'", e);
        }
    }
}
