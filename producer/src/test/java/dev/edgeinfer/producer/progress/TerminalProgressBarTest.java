package dev.edgeinfer.producer.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.producer.PublishProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TerminalProgressBarTest {

    @Test
    void showsFramesOfTheTotalRateLagAndErrors() {
        PublishProgress progress = new PublishProgress(250, 240, 1, 2, 1000, Duration.ofSeconds(5), Duration.ofMillis(12));
        assertThat(TerminalProgressBar.render(progress)).isEqualTo(
                "[########......................] 250/1000 frames  50.0/s  acked 240  lag 12.0 ms  errors 3  5 s");
    }

    @Test
    void unknownTotalShowsCountsWithoutABar() {
        PublishProgress progress = new PublishProgress(10, 10, 0, 0, -1, Duration.ofSeconds(2), Duration.ZERO);
        assertThat(TerminalProgressBar.render(progress)).isEqualTo("10 frames  5.0/s  acked 10  lag 0.0 ms  errors 0  2 s");
    }

    @Test
    void redrawsInPlaceAndEndsTheLineWhenFinished() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalProgressBar bar = new TerminalProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        PublishProgress progress = new PublishProgress(1, 1, 0, 0, 1, Duration.ofSeconds(1), Duration.ZERO);
        bar.show(progress);
        bar.finish(progress);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r[##############################] 1/1 frames").endsWith(System.lineSeparator());
        assertThat(out.split("\r", -1)).hasSize(3);
    }
}
