package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.producer.progress.ForegroundRun;
import dev.edgeinfer.producer.rate.Pacer;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line entry point of the fleet simulator: simulated edge devices write predictions, heartbeats and dead
 * letters at a planned rate. {@code main} only wires; the options become {@link FleetSettings} in
 * {@link FleetOptions}, the run is {@link FleetSimulation}.
 */
@Command(name = "simulate-fleet", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulates a fleet of edge devices: writes realistic predictions, heartbeats and dead letters "
                + "to Kafka at a planned (open-loop) rate, to size and test the analytics without hardware.",
        footer = {"", "Per-type values: a bare value for every type, TYPE=VALUE for one, comma-separated or repeated, "
                + "e.g. --accuracy 0.92,onnxruntime-cpu-int8=0.90.",
                "Exit codes: 0 every record delivered, 1 the simulation failed, 2 bad arguments, "
                        + FleetSimulatorApp.EXIT_UNDELIVERED + " some records were not delivered."})
public final class FleetSimulatorApp implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(FleetSimulatorApp.class);

    static final int EXIT_UNDELIVERED = 3;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @CommandLine.Mixin
    ConnectionOptions connection;

    @CommandLine.Mixin
    FleetOptions fleet = new FleetOptions();

    @Option(names = "--compression", paramLabel = "TYPE",
            description = "compression.type: none, gzip, snappy, lz4 or zstd; default: the --config file's, else lz4.")
    String compression;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + Topics.DEFAULT_PARTITIONS,
            description = "Partitions of topics created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "" + Topics.DEFAULT_REPLICATION_FACTOR,
            description = "Replication factor of topics created (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    // fallbackValue: without it picocli toggles a default of true, so --no-create-topics left it on.
    @Option(names = "--create-topics", defaultValue = "true", fallbackValue = "true", negatable = true,
            description = "Create the pipeline's missing topics at start and check the others (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path summaryJson;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, for {@code main} and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FleetSimulatorApp());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            log.error("The fleet simulation failed: {}", exception.getMessage(), exception);
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> clientConfig = connection.load();
        FleetSettings settings = settings();
        log.info("Simulating {} device(s) of {} type(s) (reference {}), {} predictions/s, {}, seed {}{}",
                settings.devices(), settings.types().size(), settings.reference().name(), settings.predictionRate(),
                limits(settings), settings.seed(), fleet.seed == null ? " (pass --seed " + settings.seed() + " to repeat)" : "");
        if (createTopics) {
            List<String> created = FleetClients.ensureTopics(clientConfig, partitions, replicationFactor);
            if (!created.isEmpty()) {
                log.info("Created topics {}", created);
            }
        }
        FleetSummary summary;
        try (KafkaProducer<String, SpecificRecord> producer = FleetClients.createProducer(clientConfig, compression, settings)) {
            summary = simulate(new FleetSimulation(producer, settings, Pacer.Ticker.SYSTEM, Clock.systemUTC()));
        }
        spec.commandLine().getOut().println(summary.format());
        spec.commandLine().getOut().flush();
        if (summaryJson != null) {
            summary.writeJson(summaryJson);
            log.info("Summary written to {}", summaryJson);
        }
        return summary.sendErrors() > 0 ? EXIT_UNDELIVERED : 0;
    }

    /** The run's settings from the options; what picocli cannot check becomes a usage error. */
    FleetSettings settings() {
        try {
            return fleet.settings(fleet.seed != null ? fleet.seed : new SecureRandom().nextLong() & Long.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Runs the simulation with progress shown, stopping it cleanly on Ctrl-C. */
    private static FleetSummary simulate(FleetSimulation simulation) throws InterruptedException {
        return ForegroundRun.run("fleet-simulator", simulation::stop, simulation::progress, "predictions", CLOSE_TIMEOUT,
                simulation::run);
    }

    private static String limits(FleetSettings settings) {
        if (settings.duration() == null && settings.predictions() == 0) {
            return "until stopped (Ctrl-C)";
        }
        String duration = settings.duration() == null ? "" : "for " + settings.duration();
        String count = settings.predictions() == 0 ? "" : "up to " + settings.predictions() + " predictions";
        return duration.isEmpty() || count.isEmpty() ? duration + count : duration + " or " + count;
    }
}
