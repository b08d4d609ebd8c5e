package dev.edgeinfer.reliability.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.producer.fleet.FleetSettings;
import dev.edgeinfer.producer.fleet.FleetSimulation;
import dev.edgeinfer.producer.fleet.FleetSummary;
import dev.edgeinfer.producer.fleet.TypeProfile;
import dev.edgeinfer.testsupport.analytics.AnalyticsClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A simulated fleet writing predictions straight to the predictions topic beside a fault test's real devices, so the
 * fault meets analytics at fleet throughput ({@code reliability.fleet-rate} predictions per second, from a thousand
 * devices of four types named after the run). Nothing when the rate is 0, as in the build's short versions.
 */
final class FleetLoad {

    private static final int DEVICES = 1_000;
    private static final int DEVICE_TYPES = 4;

    private final LocalStack stack;
    private final FleetSettings settings;
    private final CompletableFuture<FleetSummary> simulation;

    private FleetLoad(LocalStack stack, FleetSettings settings, CompletableFuture<FleetSummary> simulation) {
        this.stack = stack;
        this.settings = settings;
        this.simulation = simulation;
    }

    /** Starts the fleet for the stream's duration, or nothing when the settings' fleet rate is 0. */
    static FleetLoad start(LocalStack stack, String run, FaultSettings faults) {
        if (faults.fleetRate() <= 0) {
            return new FleetLoad(stack, null, CompletableFuture.completedFuture(null));
        }
        FleetSettings settings = FleetSettings.defaults(DEVICES, DEVICE_TYPES, run.hashCode()).withTypeNamePrefix(run + "-fleet-")
                .withPredictionRate(faults.fleetRate()).withLimits(faults.streamDuration(), 0);
        HashMap<String, Object> client = new HashMap<>(stack.clientProperties());
        return new FleetLoad(stack, settings, CompletableFuture.supplyAsync(() -> {
            try {
                return FleetSimulation.run(client, settings);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fleet simulation interrupted", e);
            }
        }));
    }

    /**
     * Waits for the fleet to finish writing, with nothing undelivered.
     *
     * @return the report's words for the load, empty when there was none
     */
    String awaitWritten(Duration timeout) throws Exception {
        FleetSummary written = simulation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (written == null) {
            return "";
        }
        assertThat(written.sendErrors()).as("records the fleet's producer could not deliver").isZero();
        return String.format(Locale.ROOT, "; beside them a simulated fleet of %d devices wrote %,d predictions at %,.0f/s",
                DEVICES, written.predictions(), settings.predictionRate());
    }

    /**
     * Waits for the fleet to finish, then for every instance given to count each of its predictions once, per device
     * type, as read back from the topic.
     *
     * @return the report's words for the load, empty when there was none
     */
    String awaitCounted(Duration timeout, AnalyticsClient... instances) throws Exception {
        FleetSummary written = simulation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (written == null) {
            return "";
        }
        assertThat(written.sendErrors()).as("records the fleet's producer could not deliver").isZero();
        FleetReference reference = FleetReference.read(stack);
        for (TypeProfile type : settings.types()) {
            long expected = reference.predictions(type.name()::equals);
            assertThat(expected).as("predictions of %s in the topic", type.name()).isPositive();
            for (AnalyticsClient api : instances) {
                Eventually.await("analytics counted every simulated prediction of " + type.name(), timeout,
                        () -> assertThat(api.frames("device-type", type.name(), "15m")).isEqualTo(expected));
            }
        }
        return String.format(Locale.ROOT, "; beside them a simulated fleet of %d devices wrote %,d predictions at %,.0f/s,"
                + " each counted once", DEVICES, written.predictions(), settings.predictionRate());
    }
}
