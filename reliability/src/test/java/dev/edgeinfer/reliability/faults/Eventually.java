package dev.edgeinfer.reliability.faults;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;

/** The fault tests' one way of waiting: retry a check every second until it passes or time runs out. */
final class Eventually {

    private Eventually() {
    }

    /**
     * @throws org.awaitility.core.ConditionTimeoutException naming {@code what}, with the check's last failure as
     *                                                        its cause, when it still fails after {@code timeout}
     */
    static void await(String what, Duration timeout, ThrowingRunnable check) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(check);
    }
}
