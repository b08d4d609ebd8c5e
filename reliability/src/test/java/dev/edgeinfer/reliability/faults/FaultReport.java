package dev.edgeinfer.reliability.faults;

import java.util.Locale;

/**
 * One line per fault run with its figures, in the form of a row of the reliability table; the long runs
 * ({@code bench/reliability/faults.sh}) collect these lines from the test output.
 */
final class FaultReport {

    static final String PREFIX = "RELIABILITY-ROW";

    private FaultReport() {
    }

    static void row(String fault, FaultSettings settings, String load, String result, long lost) {
        System.out.println(String.format(Locale.ROOT, "%s | %s | %s (%s stream at %.0f frames/s) | %s | %d |",
                PREFIX, fault, load, settings.streamDuration(), settings.fps(), result, lost));
    }
}
