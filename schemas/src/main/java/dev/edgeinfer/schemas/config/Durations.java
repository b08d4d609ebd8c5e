package dev.edgeinfer.schemas.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way every app of the project reads a duration: a number (decimals allowed) and a unit, {@code 500ms},
 * {@code 30s}, {@code 1.5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT90S}). Never negative.
 */
public final class Durations {

    /** The grammar, for messages. */
    public static final String GRAMMAR = "500ms, 30s, 1.5m, 2h, 1d or PT90S";
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException if the text is no duration, or a negative one
     */
    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        if (value.startsWith("p")) {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Not a duration: '" + text + "' (write " + GRAMMAR + ")", e);
            }
        } else {
            Matcher matcher = AMOUNT_AND_UNIT.matcher(value);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Not a duration: '" + text + "' (write " + GRAMMAR + ")");
            }
            long nanosPerUnit = switch (matcher.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            try {
                duration = Duration.ofNanos(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit))
                        .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("Duration too long: '" + text + "'", e);
            }
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Duration must not be negative: '" + text + "'");
        }
        return duration;
    }

    /** The shortest whole form above that names {@code duration} to the millisecond, e.g. {@code 15m} or {@code 90s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis > 0) {
            if (millis % 86_400_000L == 0) {
                return millis / 86_400_000L + "d";
            }
            if (millis % 3_600_000L == 0) {
                return millis / 3_600_000L + "h";
            }
            if (millis % 60_000L == 0) {
                return millis / 60_000L + "m";
            }
            if (millis % 1000L == 0) {
                return millis / 1000L + "s";
            }
        }
        return millis + "ms";
    }
}
