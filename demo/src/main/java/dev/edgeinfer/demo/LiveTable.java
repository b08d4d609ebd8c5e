package dev.edgeinfer.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The terminal view of a run: one row per device type, redrawn in place on a terminal, appended otherwise. */
final class LiveTable {

    private static final String HEADER = String.format(Locale.ROOT, "%-24s %8s %9s %10s %10s %10s %12s %8s %13s",
            "device type", "frames", "accuracy", "p50 infer", "p99 infer", "p99 e2e", "e2e bound", "fps", "vs reference");

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private int linesDrawn;

    LiveTable(PrintStream out) {
        this.out = out;
    }

    void show(List<DeviceFigures> figures, Duration elapsed, long sent, Map<String, Duration> caughtUp) {
        StringBuilder text = new StringBuilder();
        if (terminal && linesDrawn > 0) {
            text.append("\033[").append(linesDrawn).append("F\033[J");
        }
        text.append(String.format(Locale.ROOT, "%n[%5.1f s] frames sent: %s%n", elapsed.toMillis() / 1000.0,
                sent < 0 ? "streaming..." : Long.toString(sent)));
        text.append(HEADER).append('\n');
        for (DeviceFigures f : figures) {
            double seconds = caughtUp.getOrDefault(f.deviceType(), elapsed).toMillis() / 1000.0;
            text.append(String.format(Locale.ROOT, "%-24s %8d %9s %10s %10s %10s %12s %8.1f %13s%n", f.deviceType(), f.frames(),
                    percent(f.accuracy()), millis(f.inference().p50()), millis(f.inference().p99()), millis(f.endToEnd().p99()),
                    f.latencyBound() == null ? "-" : f.latencyBound().shortText(),
                    seconds > 0 ? f.frames() / seconds : 0.0, f.disagreement() == null ? "-" : percent(f.disagreement()) + " diff"));
        }
        linesDrawn = figures.size() + 3;
        out.print(text);
        out.flush();
    }

    static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    /** Microseconds as milliseconds; "n/a" where the samples do not support the percentile yet. */
    static String millis(Long micros) {
        return micros == null ? "n/a" : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }
}
