package dev.edgeinfer.demo;

import dev.edgeinfer.demo.sweep.LoadSweep;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole pipeline on one machine: the local stack (or an existing cluster), the analytics app, one edge consumer
 * per engine and precision in the models' manifest, and a producer streaming the CIFAR-10 test set. Shows a live
 * table, then writes a Markdown report with charts whose numbers all come from the analytics query API.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the pipeline on this machine and reports accuracy and latency per device type.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "TIME", description = "Stop streaming after this long: 90s, 1.5m, 2h, PT90S "
            + "(default: the whole test set once).")
    String duration;
    @Option(names = "--fps", defaultValue = "250", description = "Frames per second the producer sends (default: ${DEFAULT-VALUE}).")
    int fps;
    @Option(names = "--arrivals", defaultValue = "constant", description = "constant: frames evenly spaced at --fps; poisson: a "
            + "Poisson process at --fps on average, as MLPerf's server scenario (default: ${DEFAULT-VALUE}).")
    String arrivals;
    @Option(names = "--count", defaultValue = "10000",
            description = "Frames to send at most (default: ${DEFAULT-VALUE}, the CIFAR-10 test set).")
    int count;
    @Option(names = "--engines", split = ",", defaultValue = "openvino,onnxruntime,litert",
            description = "Engines to run (default: ${DEFAULT-VALUE}).")
    List<String> engines;
    @Option(names = "--precisions", split = ",", defaultValue = "FP32,FP16,INT8",
            description = "Precisions to run where an artifact exists (default: ${DEFAULT-VALUE}).")
    List<String> precisions;
    @Option(names = "--load-sweep", split = ",", paramLabel = "LOAD", description = "Instead of one stream, send frames at each "
            + "load in turn (frames per second, or max for as fast as the producer goes; paced loads use --arrivals), e.g. "
            + "10,20,50,200,1000,max, and report each device type's latency and throughput at each load, and its knee.")
    List<String> loadSweep;
    @Option(names = "--sweep-frames", defaultValue = "1200", description = "Frames per load of a sweep at least: 1,000 support a "
            + "p99 (default: ${DEFAULT-VALUE}).")
    int sweepFrames;
    @Option(names = "--sweep-min-seconds", defaultValue = "10", description = "Seconds of sending per paced load at least "
            + "(default: ${DEFAULT-VALUE}).")
    int sweepMinSeconds;
    @Option(names = "--latency-bound-ms", defaultValue = "100", description = "p99 end-to-end latency bound of every device "
            + "type, in milliseconds: the analytics' verdict per window and a sweep's knee use it (default: ${DEFAULT-VALUE}).")
    double latencyBoundMillis;
    @Option(names = "--batching", split = ",", defaultValue = "adaptive", description = "The edge consumers' batching: adaptive "
            + "or fixed, or both (adaptive,fixed) to run each artifact once per mode side by side, the fixed ones as device "
            + "types suffixed -fixed (default: ${DEFAULT-VALUE}).")
    List<String> batching;
    @Option(names = "--keep-running", description = "Leave everything running after the report, until Ctrl-C.")
    boolean keepRunning;
    @Mixin
    ConnectionOptions connection;
    @Option(names = "--models-dir", defaultValue = "models", description = "Folder with manifest.json (default: ${DEFAULT-VALUE}).")
    Path modelsDir;
    @Option(names = "--report-dir", description = "Where the report goes (default: reports/<run id>).")
    Path reportDir;
    @Option(names = "--http-port", defaultValue = "7070",
            description = "Port of the analytics API and dashboard; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int httpPort;
    @Option(names = "--settle-seconds", defaultValue = "600",
            description = "How long to wait, after the last frame is sent, for every device type to catch up (default: ${DEFAULT-VALUE}).")
    int settleSeconds;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("edgeinfer.home", "")).toAbsolutePath();
        DemoRun.Options options = new DemoRun.Options(home, home.resolve(modelsDir), engines, precisions, batching,
                latencyBoundMillis, fps, arrivals, count,
                duration == null ? null : Durations.parse(duration), connection.bootstrapServers(), connection.schemaRegistryUrl(),
                connection.configFile(), reportDir, httpPort, Duration.ofSeconds(settleSeconds));
        try (DemoRun run = DemoRun.start(options, System.out)) {
            Runtime.getRuntime().addShutdownHook(new Thread(run::close, "demo-cleanup"));
            DemoRun.Progress progress;
            if (loadSweep != null) {
                DemoRun.Sweep sweep = run.sweep(LoadSweep.Load.parse(loadSweep), sweepFrames, sweepMinSeconds, latencyBoundMillis);
                progress = sweep.progress();
                System.out.printf("%nReport: %s%n", run.report(sweep));
            } else {
                progress = run.stream();
                System.out.printf("%nReport: %s%n", run.report(progress));
            }
            if (keepRunning) {
                System.out.println("Everything keeps running; Ctrl-C stops it.");
                Thread.currentThread().join();
            }
            return progress.complete() ? 0 : 1;
        }
    }
}
