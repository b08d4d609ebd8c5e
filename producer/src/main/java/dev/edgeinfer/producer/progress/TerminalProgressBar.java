package dev.edgeinfer.producer.progress;

import dev.edgeinfer.producer.PublishProgress;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar redrawn in place: records sent (frames unless told otherwise), rate, lag and errors. */
public final class TerminalProgressBar implements ProgressSink {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String unit;

    /** A bar counting frames. */
    public TerminalProgressBar(PrintStream out) {
        this(out, "frames");
    }

    /** A bar counting {@code unit}, a plural noun such as {@code predictions}. */
    public TerminalProgressBar(PrintStream out, String unit) {
        this.out = out;
        this.unit = unit;
    }

    @Override
    public void show(PublishProgress progress) {
        out.print("\r" + render(progress, unit) + "\u001b[K");
        out.flush();
    }

    @Override
    public void finish(PublishProgress progress) {
        show(progress);
        out.println();
    }

    /** The bar's text for frames, without control characters. */
    static String render(PublishProgress progress) {
        return render(progress, "frames");
    }

    /** The bar's text, counting {@code unit}, without control characters. */
    static String render(PublishProgress progress, String unit) {
        double seconds = progress.elapsed().toNanos() / 1e9;
        double rate = seconds > 0 ? progress.sent() / seconds : 0;
        String counts;
        String bar;
        if (progress.total() > 0) {
            double fraction = Math.min(1.0, (double) progress.sent() / progress.total());
            int filled = (int) Math.round(fraction * WIDTH);
            bar = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] ";
            counts = progress.sent() + "/" + progress.total();
        } else {
            bar = "";
            counts = Long.toString(progress.sent());
        }
        return String.format(Locale.ROOT, "%s%s %s  %.1f/s  acked %d  lag %.1f ms  errors %d  %.0f s",
                bar, counts, unit, rate, progress.acked(), progress.lag().toNanos() / 1e6, progress.errors(), seconds);
    }
}
