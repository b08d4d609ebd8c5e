package dev.edgeinfer.reliability.faults;

import java.time.Duration;

/** Retries a check until it passes or time runs out; then rethrows its last failure with how long it tried. */
final class Eventually {

    @FunctionalInterface
    interface Check {
        void run() throws Exception;
    }

    private Eventually() {
    }

    static void await(String what, Duration timeout, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + ": still failing after " + timeout + ": " + e.getMessage(), e);
                }
                Thread.sleep(1000);
            }
        }
    }
}
