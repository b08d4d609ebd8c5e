package dev.edgeinfer.producer.progress;

import dev.edgeinfer.producer.PublishProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress as plain log lines, for logs and pipes where a redrawn bar would be noise. */
public final class LogProgress implements ProgressSink {

    private static final Logger log = LoggerFactory.getLogger(LogProgress.class);

    private final String unit;

    /** Log lines counting frames. */
    public LogProgress() {
        this("frames");
    }

    /** Log lines counting {@code unit}, a plural noun such as {@code predictions}. */
    public LogProgress(String unit) {
        this.unit = unit;
    }

    @Override
    public void show(PublishProgress progress) {
        log.info("{}", TerminalProgressBar.render(progress, unit));
    }

    @Override
    public void finish(PublishProgress progress) {
        show(progress);
    }
}
