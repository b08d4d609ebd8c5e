package dev.edgeinfer.testsupport.analytics;

import dev.edgeinfer.testsupport.apps.AppProcess;
import java.net.URI;
import java.time.Duration;

/**
 * The analytics API client of the apps ({@link dev.edgeinfer.schemas.analytics.AnalyticsClient}), with what a test
 * needs beside it: waiting for an instance started as a process to be healthy.
 */
public final class AnalyticsClient extends dev.edgeinfer.schemas.analytics.AnalyticsClient {

    /** A client of the instance at {@code base}, e.g. {@code http://127.0.0.1:8090/}. */
    public AnalyticsClient(URI base) {
        super(base);
    }

    /** A client of the instance listening on {@code port} of the loopback interface. */
    public static AnalyticsClient onPort(int port) {
        return new AnalyticsClient(URI.create("http://127.0.0.1:" + port + "/"));
    }

    /**
     * Waits until the instance is healthy.
     *
     * @throws IllegalStateException if its process exits or it is not healthy within the timeout, with its log's end
     */
    public void awaitHealthy(AppProcess analytics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!healthy()) {
            if (!analytics.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(analytics.name() + " not healthy at " + base() + " within " + timeout
                        + (analytics.isAlive() ? "" : " (exited)") + ":\n" + analytics.tail());
            }
            Thread.sleep(300);
        }
    }

}
