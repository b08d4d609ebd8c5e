package dev.edgeinfer.producer.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendPlanTest {

    @Test
    void steadyRateSpacesFramesEvenly() {
        SendPlan plan = new SendPlan(4, 1);
        assertThat(plan.offsetNanos(0)).isZero();
        assertThat(plan.offsetNanos(1)).isEqualTo(250_000_000L);
        assertThat(plan.offsetNanos(10)).isEqualTo(2_500_000_000L);
    }

    @Test
    void burstsShareADueTimeAndKeepTheAverageRate() {
        SendPlan plan = new SendPlan(10, 5);
        assertThat(List.of(plan.offsetNanos(0), plan.offsetNanos(4))).containsOnly(0L);
        assertThat(List.of(plan.offsetNanos(5), plan.offsetNanos(9))).containsOnly(500_000_000L);
        assertThat(plan.offsetNanos(100)).isEqualTo(10_000_000_000L);
    }

    @Test
    void unpacedMakesEveryFrameDueAtOnce() {
        assertThat(SendPlan.unpaced().isPaced()).isFalse();
        assertThat(SendPlan.unpaced().offsetNanos(1_000_000)).isZero();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new SendPlan(-1, 1)).hasMessageContaining("fps");
        assertThatThrownBy(() -> new SendPlan(Double.NaN, 1)).hasMessageContaining("fps");
        assertThatThrownBy(() -> new SendPlan(10, 0)).hasMessageContaining("burst");
    }

    @Test
    void lateSendDoesNotPushLaterFramesBack() throws InterruptedException {
        FakeTicker ticker = new FakeTicker();
        Pacer pacer = new Pacer(new SendPlan(100, 1), ticker, ticker.nanoTime());
        List<Long> sentAt = new ArrayList<>();
        List<Long> lags = new ArrayList<>();
        for (long frame = 0; frame < 6; frame++) {
            lags.add(pacer.awaitDue(frame, () -> false));
            sentAt.add(ticker.nanoTime());
            // Frame 1's send blocks for 35 ms, three and a half intervals.
            ticker.advance(frame == 1 ? 35_000_000 : 1_000_000);
        }
        // Frames stay due on the original 10 ms grid: 2, 3 and 4 go at once, late, and 5 is on time again.
        assertThat(sentAt).containsExactly(0L, 10_000_000L, 45_000_000L, 46_000_000L, 47_000_000L, 50_000_000L);
        assertThat(lags).containsExactly(0L, 0L, 25_000_000L, 16_000_000L, 7_000_000L, 0L);
    }

    @Test
    void stopEndsTheWaitEarly() throws InterruptedException {
        FakeTicker ticker = new FakeTicker();
        Pacer pacer = new Pacer(new SendPlan(0.1, 1), ticker, ticker.nanoTime());
        pacer.awaitDue(0, () -> false);
        assertThat(pacer.awaitDue(1, () -> true)).isEqualTo(-1);
        assertThat(ticker.nanoTime()).isZero();
    }

    @Test
    void lagRecorderReportsPercentilesAndTheLatest() {
        LagRecorder recorder = new LagRecorder();
        assertThat(recorder.snapshot()).isEqualTo(LagRecorder.LagStats.NONE);
        for (int i = 1; i <= 100; i++) {
            recorder.record(i * 1_000_000L);
        }
        recorder.record(0);
        LagRecorder.LagStats stats = recorder.snapshot();
        assertThat(stats.max().toMillis()).isEqualTo(100);
        assertThat(stats.p99().toMillis()).isBetween(98L, 100L);
        assertThat(stats.median().toMillis()).isBetween(49L, 51L);
        assertThat(stats.latest()).isZero();
    }

    @Test
    void poissonArrivalsHaveExponentialGapsAroundTheRateAndTheSameSeedGivesTheSameSchedule() {
        SendPlan plan = new SendPlan(200, 1, Arrivals.POISSON, 42);
        Schedule schedule = plan.schedule();
        int arrivals = 200_000;
        double meanNanos = 1e9 / 200;
        long previous = schedule.offsetNanos(0);
        double sum = 0;
        double sumOfSquares = 0;
        int belowMean = 0;
        for (int n = 1; n <= arrivals; n++) {
            long offset = schedule.offsetNanos(n);
            double gap = offset - previous;
            assertThat(gap).isNotNegative();
            sum += gap;
            sumOfSquares += gap * gap;
            belowMean += gap < meanNanos ? 1 : 0;
            previous = offset;
        }
        double mean = sum / arrivals;
        double deviation = Math.sqrt(sumOfSquares / arrivals - mean * mean);
        // An exponential distribution: mean 1/rate, standard deviation equal to the mean, P(gap < mean) = 1 - 1/e.
        assertThat(mean / meanNanos).isCloseTo(1.0, within(0.01));
        assertThat(deviation / mean).isCloseTo(1.0, within(0.02));
        assertThat(belowMean / (double) arrivals).isCloseTo(1 - Math.exp(-1), within(0.005));

        Schedule again = plan.schedule();
        Schedule otherSeed = new SendPlan(200, 1, Arrivals.POISSON, 43).schedule();
        assertThat(again.offsetNanos(1_000)).isEqualTo(plan.schedule().offsetNanos(1_000));
        assertThat(otherSeed.offsetNanos(1_000)).isNotEqualTo(again.offsetNanos(1_000));
        // Asked for an earlier frame, the schedule is drawn again from the start: the same offsets.
        long tenth = again.offsetNanos(10);
        assertThat(again.offsetNanos(5_000)).isGreaterThan(tenth);
        assertThat(again.offsetNanos(10)).isEqualTo(tenth);
    }

    @Test
    void poissonBurstsKeepTheirFramesTogether() {
        Schedule schedule = new SendPlan(100, 4, Arrivals.POISSON, 7).schedule();
        assertThat(List.of(schedule.offsetNanos(4), schedule.offsetNanos(5), schedule.offsetNanos(7)))
                .containsOnly(schedule.offsetNanos(4));
        assertThat(schedule.offsetNanos(8)).isGreaterThanOrEqualTo(schedule.offsetNanos(7));
        assertThat(schedule.offsetNanos(0)).isZero();
    }

    @Test
    void poissonArrivalsNeedARateAndAreNotAskedForByOffsetAlone() {
        assertThatThrownBy(() -> new SendPlan(0, 1, Arrivals.POISSON, 1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new SendPlan(10, 1, Arrivals.POISSON, 1).offsetNanos(3)).isInstanceOf(IllegalStateException.class);
        assertThat(Arrivals.parse(" Poisson ")).isEqualTo(Arrivals.POISSON);
        assertThatThrownBy(() -> Arrivals.parse("bursty")).hasMessageContaining("constant or poisson");
    }
}
