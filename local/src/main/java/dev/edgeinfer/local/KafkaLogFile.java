package dev.edgeinfer.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The log of the Kafka broker(s) running in this JVM, in a file of its own instead of the JVM's console: every logger
 * under {@code kafka}, {@code org.apache.kafka} and {@code state.change.logger}, from INFO, warnings and errors
 * included. While a file is open those loggers write to it and to no other appender; closing the last one gives them
 * back their configured levels and appenders.
 *
 * <p>Logger names belong to the JVM, not to a broker: the Kafka clients of this JVM (the stack's admin clients, a
 * test's producer) write to the file too, and while two stacks are open each file gets the lines of both.
 *
 * <p>Needs Logback as the SLF4J binding, which this module brings; under another binding it does nothing and the
 * broker logs as that binding is configured.
 */
final class KafkaLogFile implements AutoCloseable {

    /** Name of the file in the stack's log folder. */
    static final String FILE_NAME = "kafka.log";
    /** The loggers of the broker: its Scala and Java packages, and the controller's state-change log. */
    static final List<String> LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n";
    private static final Object LOCK = new Object();
    /** The loggers' own settings while files are open, to give back when the last one closes. */
    private static final Map<String, Saved> SAVED = new HashMap<>();
    private static int open;

    private record Saved(Level level, boolean additive) {
    }

    private final Path file;
    private final LoggerContext context;
    private final FileAppender<ILoggingEvent> appender;
    private boolean closed;

    private KafkaLogFile(Path file, LoggerContext context, FileAppender<ILoggingEvent> appender) {
        this.file = file;
        this.context = context;
        this.appender = appender;
    }

    /**
     * Sends the broker's loggers to {@code file}, appending to it, until {@link #close()}.
     *
     * @throws UncheckedIOException if the file's folder cannot be created
     * @throws LocalStackException if the file cannot be opened
     */
    static KafkaLogFile open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder of the broker's log " + file, e);
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            LoggerFactory.getLogger(KafkaLogFile.class).warn("SLF4J is bound to {}, not Logback: the broker logs as that "
                    + "binding is configured, not to {}", factory.getClass().getName(), file);
            return new KafkaLogFile(file, null, null);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("local-stack-kafka:" + file);
        appender.setFile(file.toAbsolutePath().toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new LocalStackException("Cannot open the broker's log " + file + " (see Logback's status messages)");
        }
        synchronized (LOCK) {
            for (String name : LOGGERS) {
                Logger logger = context.getLogger(name);
                if (open == 0) {
                    SAVED.put(name, new Saved(logger.getLevel(), logger.isAdditive()));
                    logger.setAdditive(false);
                    if (logger.getLevel() == null || logger.getLevel().isGreaterOrEqual(Level.INFO)) {
                        logger.setLevel(Level.INFO);
                    }
                }
                logger.addAppender(appender);
            }
            open++;
        }
        return new KafkaLogFile(file, context, appender);
    }

    /** The file written. */
    Path file() {
        return file;
    }

    /** Stops writing to the file; the last file closed gives the loggers back their own settings. */
    @Override
    public void close() {
        if (context == null) {
            return;
        }
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            closed = true;
            open--;
            for (String name : LOGGERS) {
                Logger logger = context.getLogger(name);
                logger.detachAppender(appender);
                if (open == 0) {
                    Saved saved = SAVED.remove(name);
                    logger.setLevel(saved.level());
                    logger.setAdditive(saved.additive());
                }
            }
        }
        appender.stop();
    }
}
