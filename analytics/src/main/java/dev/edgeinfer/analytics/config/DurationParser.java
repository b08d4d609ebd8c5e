package dev.edgeinfer.analytics.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads durations written as {@code 500ms}, {@code 10s}, {@code 1m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10S}). */
public final class DurationParser {

    private DurationParser() {
    }

    /**
     * @throws IllegalArgumentException if the text is no duration, or a negative one
     */
    public static Duration parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (value.startsWith("p")) {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else if (value.endsWith("ms")) {
                duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            } else if (value.endsWith("s")) {
                duration = Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("m")) {
                duration = Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("h")) {
                duration = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
            } else if (value.endsWith("d")) {
                duration = Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
            } else {
                throw new IllegalArgumentException("Not a duration: '" + text + "' (use e.g. 500ms, 10s, 1m, 2h, 1d or PT10S)");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("Not a duration: '" + text + "' (use e.g. 500ms, 10s, 1m, 2h, 1d or PT10S)", e);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Duration must not be negative: " + text);
        }
        return duration;
    }

    /** The shortest of the forms above that names {@code duration} exactly, e.g. {@code 15m}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 86_400_000L == 0 && millis > 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis % 3_600_000L == 0 && millis > 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis % 60_000L == 0 && millis > 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0 && millis > 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }
}
