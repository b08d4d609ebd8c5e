package dev.edgeinfer.schemas.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentileRuleTest {

    @Test
    void samplesNeededAreTenBeyondThePercentile() {
        assertThat(PercentileRule.samplesNeeded(50)).isEqualTo(20);
        assertThat(PercentileRule.samplesNeeded(90)).isEqualTo(100);
        assertThat(PercentileRule.samplesNeeded(95)).isEqualTo(200);
        assertThat(PercentileRule.samplesNeeded(99)).isEqualTo(1000);
        assertThat(PercentileRule.samplesNeeded(99.9)).isEqualTo(10_000);
        assertThat(PercentileRule.samplesNeeded(99.99)).isEqualTo(100_000);
        assertThat(PercentileRule.samplesNeeded(0)).isEqualTo(10);
    }

    @Test
    void supportsAtTheThresholdAndNotBelow() {
        assertThat(PercentileRule.supports(99, 90)).isFalse();
        assertThat(PercentileRule.supports(100, 90)).isTrue();
        assertThat(PercentileRule.supports(9_999, 99.9)).isFalse();
        assertThat(PercentileRule.supports(10_000, 99.9)).isTrue();
    }

    @Test
    void rejectsPercentilesOutsideTheRange() {
        assertThatThrownBy(() -> PercentileRule.samplesNeeded(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentileRule.samplesNeeded(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PercentileRule.samplesNeeded(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
