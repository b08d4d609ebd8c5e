package dev.edgeinfer.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void oneGrammarForEveryApp() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse(" 30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("0.5d")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("pt2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void anythingElseIsRefusedWithTheGrammar() {
        for (String bad : new String[] {"70", "5 minutes", "-5s", "1.5", "s", "PTXS", "1e3s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessageContaining("must not be negative");
    }

    @Test
    void formatsTheShortestWholeForm() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(1500)))).isEqualTo(Duration.ofMillis(1500));
    }
}
