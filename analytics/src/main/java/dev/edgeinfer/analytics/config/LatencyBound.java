package dev.edgeinfer.analytics.config;

import dev.edgeinfer.schemas.config.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency bound in the style of MLPerf LoadGen's server scenario: the end-to-end latency at {@code percentile} must
 * be at most {@code bound}, written {@code p<percentile>:<duration>}, e.g. {@code p99:100ms} or {@code p99.9:250ms}.
 *
 * <p>The percentile may be any number above 0 and below 100 with at most four decimals (p97 and p99.95 are as good as
 * the reported p50, p90, p95, p99 and p99.9): the bound is judged on its own histogram query, and four decimals keep
 * the samples it needs ({@code PercentileRule.samplesNeeded}) finite.
 *
 * @param percentile the percentile, in (0, 100)
 * @param bound      the most the latency at that percentile may be; positive
 */
public record LatencyBound(double percentile, Duration bound) {

    /** What a bound looks like, for error messages. */
    public static final String GRAMMAR = "p<percentile>:<duration>, e.g. p99:100ms or p99.9:250ms";

    private static final Pattern FORM = Pattern.compile("[pP]\\s*(\\d+(?:\\.\\d{1,4})?)\\s*:\\s*(.+)");

    /**
     * @throws IllegalArgumentException if the percentile is not in (0, 100) or the bound is not positive
     */
    public LatencyBound {
        if (!(percentile > 0 && percentile < 100)) {
            throw new IllegalArgumentException("The percentile of a latency bound must be above 0 and below 100: " + percentile);
        }
        if (bound == null || bound.isZero() || bound.isNegative()) {
            throw new IllegalArgumentException("A latency bound must be a positive duration: " + bound);
        }
    }

    /**
     * Reads {@code p<percentile>:<duration>}; durations as {@link Durations} reads them.
     *
     * @throws IllegalArgumentException naming the text when it is no latency bound
     */
    public static LatencyBound parse(String text) {
        Matcher matcher = FORM.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a latency bound: '" + text + "' (write " + GRAMMAR
                    + "; the percentile has at most four decimals)");
        }
        try {
            return new LatencyBound(Double.parseDouble(matcher.group(1)), Durations.parse(matcher.group(2)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a latency bound: '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The bound in milliseconds, fractions kept (a bound of {@code PT0.0005S} is 0.5). */
    public double boundMillis() {
        return bound.toNanos() / 1_000_000.0;
    }

    /** The percentile's name, e.g. {@code p99} or {@code p99.9}. */
    public String percentileName() {
        return "p" + BigDecimal.valueOf(percentile).stripTrailingZeros().toPlainString();
    }

    /** The bound as it is written, e.g. {@code p99:100ms}. */
    @Override
    public String toString() {
        return percentileName() + ":" + (bound.toNanos() % 1_000_000 == 0 ? Durations.format(bound) : bound.toString());
    }
}
