package dev.edgeinfer.analytics.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The sparse histogram against a full HdrHistogram that recorded the same samples. */
class LatencyHistogramTest {

    private static final double[] PERCENTILES = {0.1, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100};

    @Test
    void percentilesMinAndMaxEqualHdrHistogramsOverWideSpreadSamples() throws IOException {
        Random random = new Random(3);
        LatencyHistogram first = new LatencyHistogram();
        LatencyHistogram second = new LatencyHistogram();
        Histogram reference = new Histogram(LatencyHistogram.HIGHEST_TRACKABLE_MICROS, 3);
        for (int i = 0; i < 50_000; i++) {
            long micros = switch (i % 4) {
                case 0 -> random.nextInt(3000);
                case 1 -> (long) (20_000 * Math.exp(random.nextGaussian()));
                case 2 -> random.nextInt(10) == 0 ? LatencyHistogram.HIGHEST_TRACKABLE_MICROS * 3 : random.nextInt(5_000_000);
                default -> 0;
            };
            (i % 3 == 0 ? first : second).record(micros);
            reference.recordValue(Math.min(micros, LatencyHistogram.HIGHEST_TRACKABLE_MICROS));
        }
        first.merge(second);
        LatencyHistogram read = roundTrip(first);
        for (LatencyHistogram histogram : new LatencyHistogram[] {first, read}) {
            assertThat(histogram.count()).isEqualTo(reference.getTotalCount());
            assertThat(histogram.min()).isEqualTo(reference.getMinValue());
            assertThat(histogram.max()).isEqualTo(reference.lowestEquivalentValue(reference.getMaxValue()));
            for (double p : PERCENTILES) {
                assertThat(histogram.valueAtPercentile(p)).as("p%s", p)
                        .isEqualTo(reference.lowestEquivalentValue(reference.getValueAtPercentile(p)));
            }
        }
        assertThat(roundTrip(read).bucketCount()).isEqualTo(first.bucketCount());
    }

    @Test
    void anEmptyHistogramAnswersZero() throws IOException {
        LatencyHistogram empty = roundTrip(new LatencyHistogram());
        assertThat(empty.count()).isZero();
        assertThat(empty.valueAtPercentile(99)).isZero();
        assertThat(empty.max()).isZero();
    }

    private static LatencyHistogram roundTrip(LatencyHistogram histogram) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(bytes, null);
        histogram.write(out);
        out.flush();
        return LatencyHistogram.read(DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }
}
