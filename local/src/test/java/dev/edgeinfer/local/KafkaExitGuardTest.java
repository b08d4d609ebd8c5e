package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.Test;

class KafkaExitGuardTest {

    @Test
    void haltAndExitThrowInsteadOfEndingTheJvm() {
        KafkaExitGuard.install();
        KafkaExitGuard.install();

        assertThatThrownBy(() -> Exit.halt(1, "log directory failed"))
                .isInstanceOf(KafkaExitGuard.FatalBrokerErrorException.class)
                .hasMessageContaining("halt the JVM with status 1: log directory failed");
        assertThatThrownBy(() -> Exit.exit(2))
                .isInstanceOf(KafkaExitGuard.FatalBrokerErrorException.class)
                .hasMessageContaining("exit the JVM with status 2");
    }
}
