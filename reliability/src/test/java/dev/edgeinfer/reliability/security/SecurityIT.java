package dev.edgeinfer.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeinfer.avro.Prediction;
import dev.edgeinfer.local.LocalStack;
import dev.edgeinfer.local.StackPrincipal;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.Topics;
import dev.edgeinfer.testsupport.apps.App;
import dev.edgeinfer.testsupport.apps.AppProcess;
import dev.edgeinfer.testsupport.apps.Apps;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a secure local stack (TLS, SASL/SCRAM-SHA-512, ACLs) with a registry that needs Basic
 * credentials: each app runs as its own process with its principal's {@code --config} and does its job; each
 * principal is refused what is not its job; clients without valid credentials are refused; the analytics API
 * requires its token and refuses writes and malformed requests with 4xx messages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {

    private static final int FRAMES = 24;
    private static final String DEVICE_TYPE = "secure-onnxruntime-cpu-fp32";
    private static final String API_TOKEN = "security-it-token-0123456789abcdef";
    private static final String REGISTRY_USER = "pipeline";
    private static final String REGISTRY_PASSWORD = "registry-password-42";
    private static final Duration PIPELINE_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path work;

    private static LocalStack stack;
    private static BasicAuthRegistryProxy registryProxy;
    private static String registryUrl;
    private static Apps apps;
    private static AppProcess analytics;
    private static int analyticsPort;

    @BeforeAll
    static void startStack() throws IOException {
        apps = new Apps(Apps.repositoryRoot(), work.resolve("logs"));
        stack = LocalStack.builder().secure(true).start();
        registryProxy = new BasicAuthRegistryProxy(stack.schemaRegistryUrl(), REGISTRY_USER, REGISTRY_PASSWORD);
        registryUrl = registryProxy.url(stack.schemaRegistryUrl());
    }

    @AfterAll
    static void stopAll() {
        if (apps != null) {
            apps.close();
        }
        if (registryProxy != null) {
            registryProxy.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void eachAppDoesItsJobAsItsOwnPrincipalThroughTheAuthenticatedRegistry() throws Exception {
        Path images = writeImages(work.resolve("images"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        analyticsPort = Apps.freePort();
        analytics = start(App.ANALYTICS, "analytics",
                "--config", appConfig(StackPrincipal.ANALYTICS, true).toString(), "--no-create-topics",
                "--http-port", Integer.toString(analyticsPort), "--advertised-host", "127.0.0.1",
                "--state-dir", work.resolve("analytics-state").toString(), "--api-token", API_TOKEN);
        AppProcess edge = start(App.EDGE_CONSUMER, "edge",
                "--config", appConfig(StackPrincipal.EDGE, true).toString(), "--no-create-topics",
                "--engine", "onnxruntime", "--precision", "FP32", "--models-dir", apps.home().resolve("models").toString(),
                "--device-type", DEVICE_TYPE, "--device-id", "secure-device-1", "--metrics-port", "-1",
                "--max-batch", "8", "--max-wait-ms", "20");
        AppProcess producer = start(App.PRODUCER, "producer",
                "--config", appConfig(StackPrincipal.PRODUCER, true).toString(), "--no-create-topics",
                "--source", "dir:" + images, "--count", Integer.toString(FRAMES), "--producer-id", "secure-camera");
        assertThat(producer.waitFor(PIPELINE_TIMEOUT)).as("producer exit status; its log:%n%s", producer.tail()).isZero();

        Set<String> predicted = awaitPredictions(edge, PIPELINE_TIMEOUT);
        assertThat(predicted).hasSize(FRAMES);

        JsonNode stats = awaitAnalytics("/api/stats/device-type/" + DEVICE_TYPE + "?view=long", PIPELINE_TIMEOUT);
        assertThat(stats.get("frames").asLong()).isEqualTo(FRAMES);
        // Schemas were registered and fetched through the proxy, with the credentials of the --config files.
        assertThat(registryProxy.authorizedRequests()).isPositive();
        assertThat(registryProxy.refusedRequests()).isZero();
        assertThat(Files.readString(edge.log()) + Files.readString(analytics.log()))
                .doesNotContain("TopicAuthorizationException", "GroupAuthorizationException",
                        "TransactionalIdAuthorizationException", "ClusterAuthorizationException");
    }

    @Test
    @Order(2)
    void withoutRegistryCredentialsTheProducerStopsWithTheRegistrysRefusal() throws Exception {
        int refusedBefore = registryProxy.refusedRequests();
        AppProcess producer = start(App.PRODUCER, "producer-no-registry-credentials",
                "--config", appConfig(StackPrincipal.PRODUCER, false).toString(), "--no-create-topics",
                "--source", "dir:" + writeImages(work.resolve("images-2")), "--count", "1", "--producer-id", "no-credentials");
        assertThat(producer.waitFor(PIPELINE_TIMEOUT)).isNotZero();
        assertThat(producer.findInLog(Pattern.compile("Publishing failed: .*HTTP 401.*needs Basic credentials")))
                .as("the registry's 401 in the producer's log:%n%s", producer.tail()).isPresent();
        assertThat(registryProxy.refusedRequests()).isGreaterThan(refusedBefore);
    }

    @Test
    @Order(3)
    void clientsWithoutValidCredentialsAreRefused() {
        Map<String, Object> plaintext = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6000);
        // A plaintext client's bytes are no TLS handshake: the broker drops the connection, and the client never gets an answer.
        assertThat(describeClusterFailure(plaintext)).isInstanceOf(TimeoutException.class);

        Map<String, Object> noTruststore = new HashMap<>(stack.clientProperties(StackPrincipal.ADMIN));
        noTruststore.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        noTruststore.remove(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        noTruststore.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        assertThat(describeClusterFailure(noTruststore)).isInstanceOf(SslAuthenticationException.class)
                .hasMessageContaining("SSL handshake failed");

        Map<String, Object> wrongPassword = new HashMap<>(stack.clientProperties(StackPrincipal.ADMIN));
        wrongPassword.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"admin\" password=\"" + stack.security().password(StackPrincipal.EDGE) + "\";");
        assertThat(describeClusterFailure(wrongPassword)).isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("invalid credentials");

        Map<String, Object> unknownUser = new HashMap<>(stack.clientProperties(StackPrincipal.ADMIN));
        unknownUser.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"mallory\" password=\"guess\";");
        assertThat(describeClusterFailure(unknownUser)).isInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("invalid credentials");
    }

    @Test
    @Order(4)
    void theProducerMayWriteFramesButNotReadPredictionsNorWriteThem() throws Exception {
        assertThat(write(StackPrincipal.PRODUCER, Topics.FRAMES)).isNull();
        assertThat(readFailure(StackPrincipal.PRODUCER, Topics.PREDICTIONS)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(write(StackPrincipal.PRODUCER, Topics.PREDICTIONS)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    @Order(5)
    void anEdgeDeviceMayNotWriteFramesNorReadPredictions() throws Exception {
        assertThat(write(StackPrincipal.EDGE, Topics.FRAMES)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(readFailure(StackPrincipal.EDGE, Topics.PREDICTIONS)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(readFailure(StackPrincipal.EDGE, Topics.HEARTBEATS)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    @Order(6)
    void analyticsMayNotWriteFramesNorPredictionsNorReadFrames() throws Exception {
        assertThat(write(StackPrincipal.ANALYTICS, Topics.FRAMES)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(write(StackPrincipal.ANALYTICS, Topics.PREDICTIONS)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(readFailure(StackPrincipal.ANALYTICS, Topics.FRAMES)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    @Order(7)
    void theAnalyticsApiNeedsItsTokenIsReadOnlyAndAnswersMalformedRequestsWith4xx() throws Exception {
        assertThat(analytics).as("analytics started by the pipeline test").isNotNull();
        HttpResponse<String> noToken = http("GET", "/api/device-types", null);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"edgeinfer-analytics\"");
        assertThat(http("GET", "/api/device-types", "wrong-token-0123456789").statusCode()).isEqualTo(401);
        assertThat(http("GET", "/metrics", null).statusCode()).isEqualTo(401);
        assertThat(http("GET", "/metrics", API_TOKEN).statusCode()).isEqualTo(200);
        assertThat(http("GET", "/api/health", null).statusCode()).isEqualTo(200);
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> write = http(method, "/api/device-types", API_TOKEN);
            assertThat(write.statusCode()).as(method).isEqualTo(405);
            assertThat(MAPPER.readTree(write.body()).get("message").asText()).contains("read-only");
        }
        for (String target : List.of("/api/stats/gpu/x", "/api/stats/device-type/" + DEVICE_TYPE + "?window=soon",
                "/api/timeseries/device-type/" + DEVICE_TYPE + "?windows=-3", "/api/stats/device-type/x?view=" + "v".repeat(3000),
                "/%2e%2e/%2e%2e/etc/passwd", "/api/stats/device-type/%00", "/api/stats/device-type/" + "k".repeat(500),
                "/api/agreement?debug=true", "/api/nothing")) {
            HttpResponse<String> answer = http("GET", target, API_TOKEN);
            assertThat(answer.statusCode()).as(target).isBetween(400, 499);
            assertThat(answer.body()).as(target).doesNotContain("Exception", ".java:", "\tat ");
            assertThat(MAPPER.readTree(answer.body()).get("message").asText()).as(target).isNotBlank();
        }
    }

    private static Throwable describeClusterFailure(Map<String, Object> settings) {
        Map<String, Object> configs = new HashMap<>(settings);
        configs.remove("schema.registry.url");
        configs.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(configs)) {
            admin.describeCluster().nodes().get();
            throw new AssertionError("The cluster answered a client that should have been refused");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes one record as the principal: null when the broker took it, else why not. */
    private static Throwable write(StackPrincipal principal, String topic) throws InterruptedException {
        Map<String, Object> configs = kafkaSettings(principal);
        configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        configs.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        configs.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
            // Not an Avro record: were it taken, the edge device would dead-letter it, which no test counts on.
            producer.send(new ProducerRecord<>(topic, "acl-probe".getBytes(), "acl-probe".getBytes())).get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TopicAuthorizationException e) {
            return e;
        }
    }

    /** Reads the topic as the principal without a consumer group, and returns why that failed. */
    private static Throwable readFailure(StackPrincipal principal, String topic) {
        Map<String, Object> configs = kafkaSettings(principal);
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500));
            }
            throw new AssertionError(principal.userName() + " read " + topic + " for 60 s without being refused");
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Map<String, Object> kafkaSettings(StackPrincipal principal) {
        Map<String, Object> configs = new HashMap<>(stack.clientProperties(principal));
        configs.remove("schema.registry.url");
        return configs;
    }

    /** Every frame id with a committed prediction of the device type, once all {@link #FRAMES} are there. */
    private static Set<String> awaitPredictions(AppProcess edge, Duration timeout) throws Exception {
        Map<String, Object> configs = new HashMap<>(stack.clientProperties(StackPrincipal.ADMIN));
        configs.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        configs.remove("schema.registry.url");
        AvroDeserializer<Prediction> predictions = AvroDeserializer.forClass(Prediction.class);
        predictions.configure(registryClientSettings(true), false);
        Set<String> frameIds = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(configs, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PREDICTIONS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            while (frameIds.size() < FRAMES) {
                assertThat(edge.isAlive()).as("edge device alive; its log:%n%s", edge.tail()).isTrue();
                assertThat(System.nanoTime()).as("%d of %d predictions within %s; edge log:%n%s", frameIds.size(), FRAMES,
                        timeout, edge.tail()).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Prediction prediction = predictions.deserialize(record);
                    if (prediction.getDeviceType().equals(DEVICE_TYPE)) {
                        frameIds.add(prediction.getFrameId());
                    }
                }
            }
        }
        return frameIds;
    }

    private static JsonNode awaitAnalytics(String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            assertThat(analytics.isAlive()).as("analytics alive; its log:%n%s", analytics.tail()).isTrue();
            try {
                HttpResponse<String> response = http("GET", path, API_TOKEN);
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    JsonNode stats = MAPPER.readTree(response.body());
                    if (stats.get("frames").asLong() >= FRAMES) {
                        return stats;
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Analytics did not count " + FRAMES + " frames within " + timeout + "; last answer " + last
                + "; its log:\n" + analytics.tail());
    }

    private static HttpResponse<String> http(String method, String pathAndQuery, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + analyticsPort + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The principal's client settings with the proxy as registry, and its Basic credentials when asked. */
    private static Map<String, Object> appSettings(StackPrincipal principal, boolean registryCredentials) {
        Map<String, Object> settings = new HashMap<>(stack.clientProperties(principal));
        settings.putAll(registryClientSettings(registryCredentials));
        return settings;
    }

    private static Map<String, Object> registryClientSettings(boolean credentials) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("schema.registry.url", registryUrl);
        if (credentials) {
            settings.put("basic.auth.credentials.source", "USER_INFO");
            settings.put("basic.auth.user.info", REGISTRY_USER + ":" + REGISTRY_PASSWORD);
        }
        return settings;
    }

    /** An app's {@code --config} file: the stack's file of the principal, with the registry behind the proxy. */
    private static Path appConfig(StackPrincipal principal, boolean registryCredentials) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(stack.clientPropertiesFile(principal))) {
            properties.load(reader);
        }
        appSettings(principal, registryCredentials).forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        // A machine busy with other builds can take longer than the default minute for a first TLS and SCRAM handshake.
        properties.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "180000");
        assertThat(properties.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)).isEqualTo("SASL_SSL");
        Path file = work.resolve(principal.userName() + (registryCredentials ? "" : "-no-registry-credentials") + ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "client settings of " + principal.userName());
        }
        return file;
    }

    private static AppProcess start(App app, String name, String... args) {
        return apps.startWithOwnSettings(app, name, app.defaultJvmOptions(), Map.of(), List.of(args));
    }

    /** Small PNGs in class-named folders, so the frames carry a ground truth without a data set. */
    private static Path writeImages(Path dir) throws IOException {
        for (int i = 0; i < FRAMES; i++) {
            Path folder = Files.createDirectories(dir.resolve(i % 2 == 0 ? "cat" : "ship"));
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    image.setRGB(x, y, (x * 8 + i) << 16 | (y * 8) << 8 | (i * 10 % 256));
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("%03d.png", i)).toFile());
        }
        return dir;
    }
}
