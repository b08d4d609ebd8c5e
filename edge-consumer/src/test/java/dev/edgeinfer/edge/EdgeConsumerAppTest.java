package dev.edgeinfer.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EdgeConsumerAppTest {

    @Test
    void aFlushIsOneBatchPerRequestInFlightUnlessToldOtherwise() {
        EdgeConsumerApp defaults = CommandLine.populateCommand(new EdgeConsumerApp());
        assertThat(defaults.flushFrames()).isEqualTo(16 * 2);

        EdgeConsumerApp sized = CommandLine.populateCommand(new EdgeConsumerApp(), "--max-batch", "64",
                "--requests-in-flight", "4");
        assertThat(sized.flushFrames()).isEqualTo(256);

        EdgeConsumerApp told = CommandLine.populateCommand(new EdgeConsumerApp(), "--max-batch", "64",
                "--requests-in-flight", "4", "--flush-frames", "1024");
        assertThat(told.flushFrames()).isEqualTo(1024);
    }
}
