package dev.edgeinfer.local;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a fatal broker error from killing the JVM that hosts the broker.
 *
 * <p>Kafka reacts to fatal errors (a failed log directory, a lost controller quorum) by calling its exit or halt
 * procedure, which by default ends the process. In a test run or the demo that process is also the test runner or
 * the app under test, so the error would vanish together with every report. Once installed, such a call is logged
 * at ERROR and turned into a {@link FatalBrokerErrorException} thrown in the calling broker thread instead.
 */
public final class KafkaExitGuard {

    private static final Logger log = LoggerFactory.getLogger(KafkaExitGuard.class);
    private static boolean installed;

    private KafkaExitGuard() {
    }

    /** Replaces Kafka's exit and halt procedures for this JVM; calling it again does nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((status, message) -> {
            throw fatal("exit", status, message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw fatal("halt", status, message);
        });
        installed = true;
    }

    private static FatalBrokerErrorException fatal(String procedure, int status, String message) {
        FatalBrokerErrorException error = new FatalBrokerErrorException("Kafka asked to " + procedure
                + " the JVM with status " + status + (message == null ? "" : ": " + message)
                + ". The in-process broker is unusable; the JVM keeps running so the failure can be reported.");
        log.error("FATAL BROKER ERROR: {}", error.getMessage(), error);
        return error;
    }

    /** Thrown where Kafka would have ended the JVM after a fatal error. */
    public static final class FatalBrokerErrorException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FatalBrokerErrorException(String message) {
            super(message);
        }
    }
}
