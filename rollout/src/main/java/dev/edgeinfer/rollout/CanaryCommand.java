package dev.edgeinfer.rollout;

import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.avro.ModelDecision;
import dev.edgeinfer.avro.ModelVerdict;
import dev.edgeinfer.schemas.analytics.AnalyticsClient;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code models canary}: try a model on a cohort, then promote or roll it back by the analytics' figures. */
@Command(name = "canary", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish an artifact to a cohort of a device type's devices (or to a shadow device type), judge it against the type's assigned "
                + "model on the analytics' figures of both versions, and promote it to every device of the type or roll it "
                + "back. The decision and its figures are recorded on " + Topics.MODEL_DECISIONS + ". Exit code 0: "
                + "promoted; 3: rolled back.")
final class CanaryCommand implements Callable<Integer> {

    static final int ROLLED_BACK = 3;

    @Mixin
    ConnectionOptions connection;
    @Mixin
    ArtifactChoice choice;
    @Option(names = "--cohort", description = "Try it on this cohort of the type's devices, e.g. canary.")
    String cohort;
    @Option(names = "--shadow-device-type", description = "Or try it on the devices of this device type, which see every "
            + "frame the type's see (their own consumer group), judged also on their agreement with the type's.")
    String shadowDeviceType;
    @Option(names = "--share", defaultValue = "10", description = "Percent of the type's devices in the cohort "
            + "(default: ${DEFAULT-VALUE}).")
    int share;
    @Option(names = "--analytics-url", required = true, description = "Base URL of an analytics instance, e.g. "
            + "http://127.0.0.1:8090/.")
    URI analyticsUrl;
    @Option(names = "--analytics-token-file", description = "File holding the analytics API's token, if it has one.")
    Path tokenFile;
    @Option(names = "--max-accuracy-drop", defaultValue = "0.02", description = "Largest accuracy drop allowed, in "
            + "accuracy points (default: ${DEFAULT-VALUE}).")
    double maxAccuracyDrop;
    @Option(names = "--min-labelled-frames", defaultValue = "1000", description = "Labelled predictions each version "
            + "needs before accuracy is judged (default: ${DEFAULT-VALUE}).")
    long minLabelled;
    @Option(names = "--max-p99-ratio", defaultValue = "1.5", description = "Largest candidate-to-incumbent ratio of "
            + "end-to-end p99 allowed (default: ${DEFAULT-VALUE}).")
    double maxP99Ratio;
    @Option(names = "--max-disagreement", defaultValue = "0.05", description = "Largest share of the frames both "
            + "classified on which a shadow may disagree with the type's devices (default: ${DEFAULT-VALUE}).")
    double maxDisagreement;
    @Option(names = "--view", defaultValue = "15m", description = "Analytics view whose latest window is judged "
            + "(default: ${DEFAULT-VALUE}).")
    String view;
    @Option(names = "--poll", defaultValue = "PT10S", description = "Between readings (default: ${DEFAULT-VALUE}).")
    Duration poll;
    @Option(names = "--timeout", defaultValue = "PT30M", description = "Longest to wait for a decision; then it rolls back "
            + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> client = connection.load();
        PublishCommand.createModelTopics(client);
        AvroDeserializer<ModelAssignment> assignments = AvroDeserializer.forClass(ModelAssignment.class);
        assignments.configure(client, false);
        var inForce = LatestByKey.read(client, Topics.MODELS, assignments, Duration.ofSeconds(60)).values();
        String token = tokenFile == null ? null : Files.readString(tokenFile).strip();
        String by = PublishCommand.operator();
        try (KafkaProducer<String, SpecificRecord> producer = PublishCommand.producer(client)) {
            producer.initTransactions();
            Canary canary = new Canary(new ModelPublisher(producer, Clock.systemUTC(), by, Topics.MODEL_CHUNK_BYTES),
                    new CanaryJudge(new CanaryJudge.Thresholds(maxAccuracyDrop, minLabelled, maxP99Ratio, maxDisagreement)),
                    Clock.systemUTC(),
                    by, System.out);
            ModelDecision decision = canary.run(new Canary.Trial(choice.modelsDir, choice.artifact, choice.deviceType, cohort, share,
                    shadowDeviceType),
                    inForce, new Canary.Watch(new AnalyticsClient(analyticsUrl, token), view, poll, timeout));
            System.out.println(decision.getDecision() + ": " + decision.getReason());
            return decision.getDecision() == ModelVerdict.PROMOTE ? 0 : ROLLED_BACK;
        }
    }
}
