package dev.edgeinfer.analytics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.analytics.agreement.AgreementCounts;
import dev.edgeinfer.analytics.agreement.FrameVotes;
import dev.edgeinfer.analytics.stats.Observation;
import dev.edgeinfer.analytics.stats.ObservationKind;
import dev.edgeinfer.analytics.stats.SliceStats;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AnalyticsSerdesTest {

    @Test
    void sliceStatsRoundTripKeepsCountsHistogramsMatrixAndLabels() {
        SliceStats stats = new SliceStats();
        for (int i = 1; i <= 500; i++) {
            stats.add(new Observation(ObservationKind.PREDICTION, i % 10, "label" + (i % 10), (i + 1) % 10,
                    i * 3L, i * 5L, i * 1000L));
        }
        stats.add(Observation.of(ObservationKind.DEVICE_ERROR));
        stats.add(Observation.of(ObservationKind.REJECTED_PREDICTION));
        CompactSerde<SliceStats> serde = AnalyticsSerdes.sliceStats();

        byte[] bytes = serde.toBytes(stats);
        SliceStats read = serde.fromBytes(bytes);

        assertThat(read.frames()).isEqualTo(500);
        assertThat(read.framesWithGroundTruth()).isEqualTo(500);
        assertThat(read.correct()).isEqualTo(stats.correct());
        assertThat(read.deadLetters()).isEqualTo(1);
        assertThat(read.errors()).isEqualTo(1);
        assertThat(read.rejected()).isEqualTo(1);
        for (double p : new double[] {50, 90, 95, 99, 99.9}) {
            assertThat(read.inference().valueAtPercentile(p)).isEqualTo(stats.inference().valueAtPercentile(p));
            assertThat(read.endToEnd().valueAtPercentile(p)).isEqualTo(stats.endToEnd().valueAtPercentile(p));
        }
        assertThat(read.onDevice().max()).isEqualTo(stats.onDevice().max());
        assertThat(read.confusion().cells()).containsExactly(stats.confusion().cells());
        assertThat(read.labels()).isEqualTo(stats.labels());
        // Compressed histograms keep a 500-frame slice small.
        assertThat(bytes.length).isLessThan(4096);
    }

    @Test
    void emptySliceStatsRoundTrip() {
        SliceStats read = AnalyticsSerdes.sliceStats().fromBytes(AnalyticsSerdes.sliceStats().toBytes(new SliceStats()));
        assertThat(read.frames()).isZero();
        assertThat(read.inference().count()).isZero();
        assertThat(read.confusion().size()).isZero();
    }

    @Test
    void smallValuesRoundTrip() {
        assertThat(AnalyticsSerdes.sliceStarts().fromBytes(AnalyticsSerdes.sliceStarts().toBytes(new long[] {10_000, 60_000})))
                .containsExactly(10_000, 60_000);

        AgreementCounts counts = AnalyticsSerdes.agreementCounts().fromBytes(
                AnalyticsSerdes.agreementCounts().toBytes(new AgreementCounts("a", "b", 7, 2)));
        assertThat(counts.firstType()).isEqualTo("a");
        assertThat(counts.compared()).isEqualTo(7);
        assertThat(counts.differing()).isEqualTo(2);

        FrameVotes votes = new FrameVotes(123L, Map.of("a", 1)).with("b", 2);
        assertThat(AnalyticsSerdes.frameVotes().fromBytes(AnalyticsSerdes.frameVotes().toBytes(votes))).isEqualTo(votes);
        assertThat(AnalyticsSerdes.frameVotes().toBytes(null)).isNull();
    }

    @Test
    void otherFormatVersionsAndTruncatedBytesAreRejected() {
        byte[] bytes = AnalyticsSerdes.sliceStats().toBytes(new SliceStats());
        bytes[0] = 9;
        assertThatThrownBy(() -> AnalyticsSerdes.sliceStats().fromBytes(bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> AnalyticsSerdes.sliceStats().fromBytes(new byte[] {2, 0, 0}))
                .isInstanceOf(SerializationException.class);
    }
}
