package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker's loggers write to the file while it is open, to nothing else, and get their own settings back after. */
class KafkaLogFileTest {

    private static final Logger BROKER = LoggerFactory.getLogger("kafka.server.ReplicaManager");
    private static final Logger SERVER = LoggerFactory.getLogger("org.apache.kafka.storage.internals.log.ProducerAppendInfo");
    private static final Logger STATE_CHANGE = LoggerFactory.getLogger("state.change.logger");
    private static final Logger APP = LoggerFactory.getLogger("dev.edgeinfer.local.SomeApp");

    @TempDir
    Path dir;

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    /** Stands for the console: what reaches the root logger's appenders. */
    private final ListAppender<ILoggingEvent> console = new ListAppender<>();

    @BeforeEach
    void listenOnRoot() {
        console.setContext(context);
        console.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);
    }

    @AfterEach
    void stopListening() {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(console);
    }

    @Test
    void brokerLinesGoToTheFileOnlyFromInfoAndTheAppsStayOnTheConsole() throws IOException {
        Path file = dir.resolve("logs").resolve(KafkaLogFile.FILE_NAME);
        Level configured = context.getLogger("kafka").getLevel();

        try (KafkaLogFile log = KafkaLogFile.open(file)) {
            assertThat(log.file()).isEqualTo(file);
            BROKER.error("Error processing append operation on partition p-0");
            SERVER.info("producer state loaded");
            SERVER.debug("too fine for the file");
            STATE_CHANGE.warn("state change");
            APP.info("the app's own line");
        }

        assertThat(Files.readString(file))
                .contains("ERROR", "kafka.server.ReplicaManager - Error processing append operation on partition p-0")
                .contains("producer state loaded", "state change")
                .doesNotContain("too fine for the file", "the app's own line");
        assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("the app's own line");
        assertThat(context.getLogger("kafka").getLevel()).isEqualTo(configured);
        assertThat(context.getLogger("kafka").isAdditive()).isTrue();
    }

    @Test
    void twoOpenFilesBothGetTheLinesAndTheLastToCloseGivesTheLoggersBack() throws IOException {
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");

        KafkaLogFile one = KafkaLogFile.open(first);
        KafkaLogFile two = KafkaLogFile.open(second);
        BROKER.warn("both");
        one.close();
        BROKER.warn("second only");
        one.close();
        assertThat(console.list).isEmpty();
        two.close();
        BROKER.warn("console again");

        assertThat(Files.readString(first)).contains("both").doesNotContain("second only", "console again");
        assertThat(Files.readString(second)).contains("both", "second only").doesNotContain("console again");
        assertThat(console.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("console again");
    }
}
