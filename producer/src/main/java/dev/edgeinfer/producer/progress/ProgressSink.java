package dev.edgeinfer.producer.progress;

import dev.edgeinfer.producer.PublishProgress;

/** Shows how a run is going: a bar on a terminal, log lines otherwise. */
public interface ProgressSink {

    /** Shows the latest counters. */
    void show(PublishProgress progress);

    /** The run is over; leave the display tidy for the summary. */
    void finish(PublishProgress progress);
}
