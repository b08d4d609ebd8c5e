package dev.edgeinfer.producer.fleet;

import dev.edgeinfer.schemas.serde.AvroSerdeException;
import dev.edgeinfer.schemas.serde.AvroSerializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fleet simulator's Kafka clients and topic setup, in one place. */
public final class FleetClients {

    private static final Logger log = LoggerFactory.getLogger(FleetClients.class);

    /** Default {@code linger.ms}; see {@link #producerConfig}. */
    public static final int DEFAULT_LINGER_MS = 20;
    /** Default {@code batch.size}; see {@link #producerConfig}. */
    public static final int DEFAULT_BATCH_SIZE = 256 * 1024;
    /** Default {@code compression.type}. */
    public static final String DEFAULT_COMPRESSION = "lz4";
    private static final Duration TOPIC_SETUP_TIMEOUT = Duration.ofSeconds(60);

    private FleetClients() {
    }

    /**
     * The producer config: the client config (addresses, security, anything from the properties file) with the
     * simulator's settings on top. Delivery guarantees are always set; tuning only where the file left it out.
     *
     * @param clientConfig from {@link dev.edgeinfer.schemas.config.ClientConfig#load}; not modified
     * @param compression  {@code compression.type} from the command line, or null for the file's, else lz4
     */
    public static Map<String, Object> producerConfig(Map<String, Object> clientConfig, String compression) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // A batch retried after a lost response is not written twice: the topics hold exactly what the summary counts.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A record counts as written once every in-sync replica has it (idempotence requires it, too).
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Thousands of small records a second: waiting a little fills batches, so far fewer requests cost the CPU.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
        // Room for what one partition gathers while lingering at high rates (predictions are about 400 bytes).
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        // Records of one device type repeat most of their bytes; lz4 shrinks batches cheaply.
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        if (compression != null) {
            // Chosen on the command line: it wins over the properties file.
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        }
        // Names the simulator in broker logs, metrics and quotas.
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "fleet-simulator");
        return config;
    }

    /**
     * The simulator's producer: keys as strings (frame ids, device ids), values through the project's Avro
     * serializer. The three schemas are registered (or looked up) before it is returned, so that neither shows as
     * lag of the first records; a registry that cannot be reached yet only delays that to the first sends.
     *
     * @param compression {@code compression.type}, or null for the default
     * @param settings    the fleet, for sample records
     * @throws AvroSerdeException if the registry refuses a schema
     * @throws org.apache.kafka.common.KafkaException if the config is invalid
     */
    public static KafkaProducer<String, SpecificRecord> createProducer(Map<String, Object> clientConfig, String compression,
                                                                       FleetSettings settings) {
        Map<String, Object> config = producerConfig(clientConfig, compression);
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(config, false);
        try {
            registerSchemas(values, settings);
        } catch (AvroSerdeException e) {
            if (!e.isRetriable()) {
                values.close();
                throw e;
            }
            log.warn("The schemas cannot be registered yet; sending retries until the registry answers: {}", e.getMessage());
        }
        return new KafkaProducer<>(config, new StringSerializer(), values);
    }

    /**
     * Creates the pipeline's missing topics and waits until every partition answers, so the producer never meets
     * KAFKA-15591; existing topics are checked against their contract.
     *
     * @throws TopicCreator.TopicSetupException naming the topic when one cannot be created or contradicts its spec
     * @throws InterruptedException if interrupted while waiting for the cluster
     */
    public static List<String> ensureTopics(Map<String, Object> clientConfig, int partitions, short replicationFactor)
            throws InterruptedException {
        Map<String, Object> adminConfig = clientConfig.entrySet().stream()
                .filter(entry -> AdminClientConfig.configNames().contains(entry.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        try (Admin admin = Admin.create(adminConfig)) {
            return new TopicCreator(admin, TOPIC_SETUP_TIMEOUT).ensureTopics(Topics.all(partitions, replicationFactor));
        }
    }

    private static void registerSchemas(AvroSerializer<SpecificRecord> values, FleetSettings settings) {
        FleetRecords records = new FleetRecords(settings);
        SimulatedFrame frame = new FleetGenerator(settings).frame(0);
        SimulatedFrame.TypeResult result = frame.results().get(0);
        Instant now = Instant.now();
        values.serialize(Topics.PREDICTIONS, records.prediction(frame, result, now));
        values.serialize(Topics.DEAD_LETTERS, records.deadLetter(frame,
                new SimulatedFrame.TypeResult(0, 0, dev.edgeinfer.avro.FailureStage.INFERENCE, result.predictedClass(),
                        result.topK(), result.timings(), result.transportMicros()),
                now));
        values.serialize(Topics.HEARTBEATS, records.heartbeat(0, 0, now));
    }
}
