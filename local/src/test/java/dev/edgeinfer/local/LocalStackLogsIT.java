package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stack with a log folder writes the broker's log and the registry's there, and they outlive the stack. */
class LocalStackLogsIT {

    @TempDir
    Path temp;

    @Test
    void brokerAndRegistryLogToTheLogFolderWhichOutlivesTheData() throws Exception {
        Path logs = temp.resolve("run").resolve("logs");
        Path dataDir;
        try (LocalStack stack = LocalStack.builder().runParent(temp.resolve("data")).logDir(logs).start()) {
            dataDir = stack.dataDir();
            assertThat(stack.logDir()).contains(logs);
            assertThat(stack.registry().logFile()).isEqualTo(logs.resolve(ApicurioRegistry.LOG_FILE));
            assertThat(dataDir.resolve(ApicurioRegistry.LOG_FILE)).doesNotExist();
        }

        assertThat(dataDir).doesNotExist();
        assertThat(Files.readString(logs.resolve(KafkaLogFile.FILE_NAME)))
                .as("the broker's log, from start-up to shutdown")
                .contains("[BrokerServer id=0] Transition from STARTING to STARTED")
                .contains("[BrokerServer id=0] shut down completed");
        assertThat(logs.resolve(ApicurioRegistry.LOG_FILE)).isNotEmptyFile();
    }

    @Test
    void withoutALogFolderTheRegistryLogsToTheDataFolder() {
        try (LocalStack stack = LocalStack.builder().runParent(temp.resolve("data")).start()) {
            assertThat(stack.logDir()).isEmpty();
            assertThat(stack.registry().logFile()).isEqualTo(stack.dataDir().resolve(ApicurioRegistry.LOG_FILE));
        }
    }
}
