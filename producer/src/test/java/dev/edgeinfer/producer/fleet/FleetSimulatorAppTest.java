package dev.edgeinfer.producer.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FleetSimulatorAppTest {

    @Test
    void optionsBecomeTheFleet() {
        FleetSimulatorApp app = parse("--devices", "1000", "--device-types", "5", "--rate", "4", "--duration", "10m",
                "--predictions", "50000", "--accuracy", "0.92,onnxruntime-cpu-int8=0.91", "--disagreement",
                "0.03", "--disagreement", "openvino-cpu-int8=0.01", "--inference-median-ms", "openvino-cpu-int8=0.5",
                "--dead-letter-share", "0.002", "--ground-truth-share", "0.5", "--heartbeat-interval", "2s",
                "--transport-median-ms", "2", "--transport-p99-ms", "20", "--seed", "11");
        FleetSettings settings = app.settings();
        assertThat(settings.devices()).isEqualTo(1000);
        assertThat(settings.types()).extracting(TypeProfile::name).containsExactly("openvino-cpu-fp32",
                "openvino-cpu-int8", "onnxruntime-cpu-fp32", "onnxruntime-cpu-int8", "openvino-cpu-fp16");
        assertThat(settings.predictionRate()).isEqualTo(4000);
        assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.predictions()).isEqualTo(50_000);
        assertThat(settings.types()).extracting(TypeProfile::accuracy).containsExactly(0.92, 0.92, 0.92, 0.91, 0.92);
        assertThat(settings.types()).extracting(TypeProfile::disagreement).containsExactly(0.0, 0.01, 0.03, 0.03, 0.03);
        TypeProfile int8 = settings.types().get(1);
        assertThat(int8.inference().medianMicros()).isEqualTo(500);
        assertThat(int8.inference().p99Micros()).as("the type's usual p99/median ratio")
                .isCloseTo(500 * 1.3 / 0.46, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(settings.deadLetterShare()).isEqualTo(0.002);
        assertThat(settings.groundTruthShare()).isEqualTo(0.5);
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.transport()).isEqualTo(LatencyDistribution.ofMillis(2, 20));
        assertThat(settings.seed()).isEqualTo(11);
        assertThat(settings.frameId(3)).isEqualTo("sim-11-3");
    }

    @Test
    void defaultsAndExplicitTypes() {
        FleetSettings defaults = parse().settings();
        assertThat(defaults.devices()).isEqualTo(100);
        assertThat(defaults.types()).hasSize(4);
        assertThat(defaults.predictionRate()).isEqualTo(1000);
        assertThat(defaults.deadLetterShare()).isEqualTo(0.001);
        assertThat(defaults.duration()).isNull();
        FleetSettings named = parse("--types", "openvino-cpu-fp32,rpi5-onnxruntime-cpu-int8", "--total-rate", "20000",
                "--devices", "2").settings();
        assertThat(named.types()).extracting(TypeProfile::name).containsExactly("openvino-cpu-fp32", "rpi5-onnxruntime-cpu-int8");
        assertThat(named.predictionRate()).isEqualTo(20_000);
        assertThat(named.frameRate()).isEqualTo(10_000);
    }

    @Test
    void contradictionsAreUsageErrorsNamingTheOption() {
        assertThat(run("--rate", "5", "--total-rate", "10")).contains("not both");
        assertThat(run("--types", "a,b", "--device-types", "3")).contains("--device-types 3 contradicts --types");
        assertThat(run("--accuracy", "nope=0.9")).contains("--accuracy names device type 'nope'");
        assertThat(run("--accuracy", "openvino-cpu-int8=0.8")).contains("disagrees with the reference on at least");
        assertThat(run("--inference-median-ms", "2", "--inference-p99-ms", "1")).contains("--inference-median-ms");
    }

    private static FleetSimulatorApp parse(String... args) {
        FleetSimulatorApp app = new FleetSimulatorApp();
        CommandLine commandLine = new CommandLine(app);
        commandLine.parseArgs(args);
        app.spec = commandLine.getCommandSpec();
        return app;
    }

    /** Runs the command line against an unreachable cluster; the arguments fail before it is reached. */
    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = FleetSimulatorApp.commandLine();
        commandLine.setErr(new PrintWriter(err));
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("--bootstrap-servers", "localhost:1",
                "--schema-registry-url", "mock://fleet-app-test"), java.util.stream.Stream.of(args)).toArray(String[]::new);
        assertThat(commandLine.execute(all)).as("exit code of %s", String.join(" ", args)).isEqualTo(2);
        return err.toString();
    }
}
