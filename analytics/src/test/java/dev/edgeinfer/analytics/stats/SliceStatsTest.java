package dev.edgeinfer.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SliceStatsTest {

    private static Observation prediction(int predicted, int truth, long inference) {
        return new Observation(ObservationKind.PREDICTION, predicted, "c" + predicted, truth, inference, inference * 2, 1000);
    }

    @Test
    void mergingSlicesEqualsCountingEverythingInOne() {
        SliceStats first = new SliceStats();
        SliceStats second = new SliceStats();
        SliceStats all = new SliceStats();
        for (int i = 1; i <= 300; i++) {
            Observation observation = prediction(i % 4, i % 3, i * 7L);
            (i % 2 == 0 ? first : second).add(observation);
            all.add(observation);
        }
        SliceStats merged = new SliceStats().merge(first).merge(second);
        assertThat(merged.frames()).isEqualTo(300);
        assertThat(merged.correct()).isEqualTo(all.correct());
        for (double p : new double[] {50, 90, 95, 99}) {
            assertThat(merged.inference().valueAtPercentile(p)).isEqualTo(all.inference().valueAtPercentile(p));
            assertThat(merged.onDevice().valueAtPercentile(p)).isEqualTo(all.onDevice().valueAtPercentile(p));
        }
        assertThat(merged.inference().max()).isEqualTo(all.inference().max());
        assertThat(merged.confusion().cells()).containsExactly(all.confusion().cells());
    }

    @Test
    void kindsCountWhereTheyBelong() {
        SliceStats stats = new SliceStats()
                .add(prediction(1, 1, 10))
                .add(prediction(2, Observation.NONE, 10))
                .add(Observation.of(ObservationKind.REJECTED_PREDICTION))
                .add(Observation.of(ObservationKind.DEAD_LETTER))
                .add(Observation.of(ObservationKind.DEVICE_ERROR));
        assertThat(stats.frames()).isEqualTo(2);
        assertThat(stats.framesWithGroundTruth()).isEqualTo(1);
        assertThat(stats.correct()).isEqualTo(1);
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.deadLetters()).isEqualTo(2);
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(stats.inference().count()).isEqualTo(2);
    }

    @Test
    void confusionMatricesOfDifferentSizesMerge() {
        ConfusionMatrix small = new ConfusionMatrix();
        small.add(1, 0);
        ConfusionMatrix large = new ConfusionMatrix();
        large.add(4, 4);
        large.add(1, 0);
        small.merge(large);
        assertThat(small.size()).isEqualTo(5);
        assertThat(small.count(1, 0)).isEqualTo(2);
        assertThat(small.count(4, 4)).isEqualTo(1);
        assertThat(small.count(9, 9)).isZero();
    }

    @Test
    void latenciesAboveAnHourAreClampedToIt() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(LatencyHistogram.HIGHEST_TRACKABLE_MICROS * 5);
        assertThat(histogram.count()).isEqualTo(1);
        assertThat(histogram.max()).isBetween(LatencyHistogram.HIGHEST_TRACKABLE_MICROS * 999 / 1000,
                LatencyHistogram.HIGHEST_TRACKABLE_MICROS);
    }
}
