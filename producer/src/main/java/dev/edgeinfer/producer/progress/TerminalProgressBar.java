package dev.edgeinfer.producer.progress;

import dev.edgeinfer.producer.PublishProgress;
import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar redrawn in place: frames sent, rate, lag and errors. */
public final class TerminalProgressBar implements ProgressSink {

    private static final int WIDTH = 30;

    private final PrintStream out;

    public TerminalProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void show(PublishProgress progress) {
        out.print("\r" + render(progress) + "\u001b[K");
        out.flush();
    }

    @Override
    public void finish(PublishProgress progress) {
        show(progress);
        out.println();
    }

    /** The bar's text, without control characters. */
    static String render(PublishProgress progress) {
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
        return String.format(Locale.ROOT, "%s%s frames  %.1f/s  acked %d  lag %.1f ms  errors %d  %.0f s",
                bar, counts, rate, progress.acked(), progress.lag().toNanos() / 1e6, progress.errors(), seconds);
    }
}
