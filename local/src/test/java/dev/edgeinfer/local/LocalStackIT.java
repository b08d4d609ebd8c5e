package dev.edgeinfer.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole stack, started and stopped by hand so that the test can check what closing leaves behind. */
class LocalStackIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.builder().start();
    }

    @AfterAll
    static void closeReleasesPortsProcessesAndData() throws IOException {
        int kafkaPort = stack.kafka().brokers().get(0).port();
        int registryPort = stack.registry().port();
        List<ProcessHandle> registryProcesses = stack.registry().processTree();

        stack.close();

        assertThat(registryProcesses).noneMatch(ProcessHandle::isAlive);
        assertThat(stack.dataDir()).doesNotExist();
        for (int port : new int[] {kafkaPort, registryPort}) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void framesAndPredictionsAreStampedByTheBroker() throws Exception {
        try (Admin admin = stack.createAdmin()) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.FRAMES),
                    new ConfigResource(ConfigResource.Type.TOPIC, Topics.PREDICTIONS))).all().get();

            assertThat(configs.values())
                    .hasSize(2)
                    .allSatisfy(config -> assertThat(config.get("message.timestamp.type").value()).isEqualTo("LogAppendTime"));
            assertThat(admin.describeTopics(List.of(Topics.FRAMES)).allTopicNames().get().get(Topics.FRAMES).partitions())
                    .hasSize(Topics.DEFAULT_PARTITIONS);
        }
    }

    @Test
    void anIdempotentProducerWritesWhatAConsumerReadsBack() throws Exception {
        String key = UUID.randomUUID().toString();
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = createIdempotentProducer()) {
            written = producer.send(new ProducerRecord<>(Topics.FRAMES, key, "frame-1")).get();
        }

        List<ConsumerRecord<String, String>> read = readAll(Topics.FRAMES, "read_uncommitted", 1);

        assertThat(read).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(key);
            assertThat(record.value()).isEqualTo("frame-1");
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.offset()).isEqualTo(written.offset());
        });
    }

    @Test
    void transactionsCommitOnASingleBroker() throws Exception {
        Map<String, Object> props = producerProperties();
        // Exactly-once consumers write their predictions in transactions; the broker must host transaction state.
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-stack-it-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.PREDICTIONS, "frame-7", "prediction-7"));
            producer.commitTransaction();
        }

        assertThat(readAll(Topics.PREDICTIONS, "read_committed", 1))
                .extracting(ConsumerRecord::value)
                .containsExactly("prediction-7");
    }

    @Test
    void theRegistryAnswersWithCompatibilityBackward() throws Exception {
        HttpResponse<String> subjects = get(stack.schemaRegistryUrl() + "/subjects");
        HttpResponse<String> config = get(stack.schemaRegistryUrl() + "/config");

        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(subjects.body()).isArray()).isTrue();
        assertThat(config.statusCode()).isEqualTo(200);
        JsonNode level = JSON.readTree(config.body()).get("compatibilityLevel");
        assertThat(level.asText()).isEqualTo("BACKWARD");
        assertThat(stack.clientProperties())
                .containsEntry("bootstrap.servers", stack.bootstrapServers())
                .containsEntry("schema.registry.url", stack.schemaRegistryUrl());
    }

    @Test
    void startupTimeIsMeasured() {
        System.out.printf("Local stack start-up took %d ms%n", stack.startupDuration().toMillis());
        assertThat(stack.startupDuration()).isPositive().isLessThan(Duration.ofSeconds(90));
    }

    private static KafkaProducer<String, String> createIdempotentProducer() {
        return new KafkaProducer<>(producerProperties());
    }

    private static Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>(stack.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, String isolation, int expected) {
        Map<String, Object> props = new HashMap<>(stack.clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
