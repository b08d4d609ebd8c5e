package dev.edgeinfer.demo.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadSweepTest {

    @Test
    void loadsAreFramesPerSecondOrMax() {
        assertThat(LoadSweep.Load.parse(List.of("10", " 200", "MAX")))
                .containsExactly(new LoadSweep.Load("10", 10), new LoadSweep.Load("200", 200), new LoadSweep.Load("max", 0));
        assertThatThrownBy(() -> LoadSweep.Load.parse(List.of("fast"))).hasMessageContaining("'fast'");
        assertThatThrownBy(() -> LoadSweep.Load.parse(List.of("0"))).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> LoadSweep.Load.parse(List.of())).hasMessageContaining("at least one load");
    }

    @Test
    void theKneeIsTheLastPacedLoadSustainedWithinTheBound() {
        LoadSweep.Result result = new LoadSweep.Result("poisson", 100, List.of(
                point("10", 10, 10.0, 8.0),
                point("200", 200, 199.0, 40.0),
                // Kept up, but over the bound: the curve has bent.
                point("1000", 1000, 990.0, 250.0),
                point("max", 0, 2400.0, 900.0)));
        assertThat(result.knee("t")).isEqualTo(new LoadSweep.Load("200", 200));

        LoadSweep.Result fallingBehind = new LoadSweep.Result("poisson", 100, List.of(
                point("10", 10, 10.0, 8.0),
                point("200", 200, 150.0, 40.0)));
        assertThat(fallingBehind.knee("t")).isEqualTo(new LoadSweep.Load("10", 10));

        LoadSweep.Result slowStart = new LoadSweep.Result("poisson", 100, List.of(
                point("10", 10, 10.0, 105.0),
                point("50", 50, 50.0, 60.0)));
        assertThat(slowStart.knee("t")).isEqualTo(new LoadSweep.Load("50", 50));

        LoadSweep.Result noP99 = new LoadSweep.Result("poisson", 100, List.of(point("10", 10, 10.0, null)));
        assertThat(noP99.knee("t")).as("a p99 the samples do not support sustains nothing").isNull();
    }

    private static LoadSweep.Point point(String label, int fps, Double predicted, Double p99) {
        LoadSweep.DevicePoint device = new LoadSweep.DevicePoint(1200, predicted, 1, 5.0, p99, 9.0, null, 1.0, 2.0, 1.0, 0.1, 2.0, 1.0);
        return new LoadSweep.Point(new LoadSweep.Load(label, fps), 1200, Duration.ofSeconds(10), 3.0, 6.0, Map.of("t", device));
    }
}
