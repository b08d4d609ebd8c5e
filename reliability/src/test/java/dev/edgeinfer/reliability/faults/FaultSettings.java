package dev.edgeinfer.reliability.faults;

import java.time.Duration;

/**
 * How long and how hard the fault tests run. The defaults are the short versions the build runs; the long versions
 * ({@code bench/reliability/faults.sh}) set the system properties, e.g. {@code -Dreliability.duration=PT2M}.
 *
 * <ul>
 *   <li>{@code reliability.duration}: how long frames are streamed (default 30 s)</li>
 *   <li>{@code reliability.fps}: the producer's planned rate (default 50 frames/s)</li>
 *   <li>{@code reliability.kill-interval}: time between two SIGKILLs (default 10 s)</li>
 *   <li>{@code reliability.broker-downtime}: how long the broker stays down (default 10 s)</li>
 *   <li>{@code reliability.registry-outage}: how long the registry is unreachable (default 12 s)</li>
 *   <li>{@code reliability.fleet-rate}: predictions per second a simulated fleet writes beside the real devices
 *       during the stream, so faults meet analytics at fleet throughput (default 0: none)</li>
 * </ul>
 */
record FaultSettings(Duration streamDuration, double fps, Duration killInterval, Duration brokerDowntime,
                     Duration registryOutage, double fleetRate) {

    static FaultSettings fromSystemProperties() {
        return new FaultSettings(
                duration("reliability.duration", Duration.ofSeconds(30)),
                Double.parseDouble(System.getProperty("reliability.fps", "50")),
                duration("reliability.kill-interval", Duration.ofSeconds(10)),
                duration("reliability.broker-downtime", Duration.ofSeconds(10)),
                duration("reliability.registry-outage", Duration.ofSeconds(12)),
                Double.parseDouble(System.getProperty("reliability.fleet-rate", "0")));
    }

    /** Frames the producer is planned to send over the stream. */
    long plannedFrames() {
        return Math.round(fps * streamDuration.toMillis() / 1000.0);
    }

    /**
     * How long to wait, after the stream, for every frame to be predicted: generous, because the tests run on busy
     * build machines, and a wait that runs out fails the test instead of passing it.
     */
    Duration catchUp() {
        return Duration.ofMinutes(3).plus(streamDuration);
    }

    private static Duration duration(String property, Duration defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Duration.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(property + " must be an ISO-8601 duration such as PT2M, got '" + value + "'", e);
        }
    }
}
