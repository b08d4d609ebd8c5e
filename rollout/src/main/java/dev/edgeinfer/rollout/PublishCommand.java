package dev.edgeinfer.rollout;

import dev.edgeinfer.avro.ModelAssignment;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.config.HostName;
import dev.edgeinfer.schemas.models.ModelTargets;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code models publish}: assign an artifact of a models folder to a device type, or to a cohort of its devices. */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publish an artifact to the devices of a type (or a cohort of them): its files in chunks on "
                + Topics.MODEL_CHUNKS + ", the assignment on " + Topics.MODELS + ", in one transaction.")
final class PublishCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    ArtifactChoice choice;
    @Option(names = "--cohort", description = "Name of a share of the device type's devices, e.g. canary.")
    String cohort;
    @Option(names = "--share", defaultValue = "100", description = "Percent of the device type's devices in the cohort, "
            + "1 to 100 (default: ${DEFAULT-VALUE}; only with --cohort).")
    int share;
    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create the models topics when missing (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        if (cohort == null && share != 100) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--share needs --cohort: an assignment for the whole device type is for all of its devices");
        }
        Map<String, Object> client = connection.load();
        if (createTopics) {
            createModelTopics(client);
        }
        try (KafkaProducer<String, SpecificRecord> producer = producer(client)) {
            producer.initTransactions();
            ModelAssignment done = new ModelPublisher(producer, Clock.systemUTC(), operator(), Topics.MODEL_CHUNK_BYTES)
                    .publish(new ModelPublisher.Publication(choice.modelsDir, choice.artifact, choice.deviceType, cohort, share));
            System.out.printf("published %s %s (%s, %s, sha256 %s) to %s: %d files%n", done.getModel().getName(),
                    done.getModel().getVersion(), done.getModel().getArtifactId(), done.getModel().getPrecision(),
                    done.getModel().getSha256(), ModelTargets.key(done), done.getFiles().size());
        }
        return 0;
    }

    /** Creates the models, chunks and decisions topics where they are missing. */
    static void createModelTopics(Map<String, Object> client) throws InterruptedException {
        try (Admin admin = Admin.create(client)) {
            new TopicCreator(admin, Duration.ofSeconds(60)).ensureTopics(Topics.all().stream()
                    .filter(t -> List.of(Topics.MODELS, Topics.MODEL_CHUNKS, Topics.MODEL_DECISIONS).contains(t.name())).toList());
        }
    }

    /** Who runs the command, as assignments and decisions record it: {@code <user>@<host>}. */
    static String operator() {
        return System.getProperty("user.name") + "@" + HostName.find().orElse("unknown");
    }

    /** A transactional producer of its own: a publication is all or nothing. */
    static KafkaProducer<String, SpecificRecord> producer(Map<String, Object> client) {
        Map<String, Object> configs = new HashMap<>(client);
        configs.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "edgeinfer-models-publish");
        configs.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "edgeinfer-models-publish-" + UUID.randomUUID());
        configs.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(client, false);
        return new KafkaProducer<>(configs, new StringSerializer(), values);
    }
}
