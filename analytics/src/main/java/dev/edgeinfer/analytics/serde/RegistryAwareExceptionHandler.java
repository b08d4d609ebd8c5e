package dev.edgeinfer.analytics.serde;

import dev.edgeinfer.schemas.serde.AvroSerdeException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells bad input from an unreachable schema registry. A record that cannot be decoded is logged and skipped (and
 * counted in the skipped-records metric), as with {@link LogAndContinueExceptionHandler}: one bad prediction must not
 * stop the analytics of the whole fleet. A record that could be decoded but for a registry that does not answer is
 * not bad: skipping it would lose it from every window. The stream thread fails instead, after a pause, and the
 * replacement thread (the app's uncaught-exception handler replaces it) reads the record again from the last commit.
 */
public class RegistryAwareExceptionHandler extends LogAndContinueExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RegistryAwareExceptionHandler.class);
    /** How long a thread waits before it gives up on a record that needs the registry; bounds the retry rate. */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!needsRegistry(exception)) {
            return super.handleError(context, record, exception);
        }
        log.warn("Prediction at {}-{}@{} needs the schema registry, which did not answer; the stream thread retries it "
                + "from the last commit in {} s: {}", record.topic(), record.partition(), record.offset(),
                RETRY_PAUSE.toSeconds(), exception.getMessage());
        pause();
        return Response.fail();
    }

    /** Whether the failure is the registry's, not the record's. */
    static boolean needsRegistry(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AvroSerdeException serde && serde.isRetriable()) {
                return true;
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
