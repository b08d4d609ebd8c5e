package dev.edgeinfer.analytics;

import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.config.LatencyBounds;
import dev.edgeinfer.analytics.http.ApiToken;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command-line entry point: loads the configuration, creates missing topics, starts {@link AnalyticsService} and
 * closes it on shutdown.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rolling accuracy, latency percentiles, confusion matrices and cross-device-type agreement of "
                + "the edge fleet's predictions, served over HTTP (JSON API, dashboard, Prometheus metrics).")
public final class AnalyticsApp implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsApp.class);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--http-port", defaultValue = "7070", description = "HTTP port of the API and dashboard (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--advertised-host", defaultValue = "localhost",
            description = "Host name other analytics instances reach this one at (application.server; default ${DEFAULT-VALUE})")
    String advertisedHost;

    @Option(names = "--state-dir", description = "Kafka Streams state directory")
    Path stateDir;

    @Option(names = "--application-id", description = "Kafka Streams application id (default edgeinfer-analytics)")
    String applicationId;

    @Option(names = "--reference-device-type",
            description = "Device type others are compared with for agreement (analytics.reference.device.type; default openvino-cpu-fp32)")
    String referenceDeviceType;

    @Option(names = "--window-size", description = "Short view window size, e.g. 1m (analytics.window.short.size)")
    String windowSize;

    @Option(names = "--window-advance", description = "Short view advance, e.g. 10s (analytics.window.short.advance)")
    String windowAdvance;

    @Option(names = "--long-window-size", description = "Long view window size, e.g. 15m (analytics.window.long.size)")
    String longWindowSize;

    @Option(names = "--long-window-advance", description = "Long view advance, e.g. 1m (analytics.window.long.advance)")
    String longWindowAdvance;

    @Option(names = "--grace", description = "How late a record may be and still count, e.g. 30s (analytics.window.grace)")
    String grace;

    @Option(names = "--latency-bound", split = ",", paramLabel = "[<deviceType>=]p<percentile>:<duration>",
            description = "End-to-end latency bound each window is judged against (VALID, INVALID, INSUFFICIENT_SAMPLES): "
                    + "p99:100ms for every device type (analytics.latency.bound; default p99:100ms), "
                    + "openvino-cpu-int8=p99:40ms for one type (analytics.latency.bound.<deviceType>); "
                    + "repeatable or comma-separated")
    List<String> latencyBounds = new ArrayList<>();

    @Option(names = "--api-token", defaultValue = "${env:ANALYTICS_API_TOKEN}",
            description = "Bearer token the HTTP API requires for its data (/api/..., /metrics), at least 16 characters; "
                    + "the same on every instance. Default: the ANALYTICS_API_TOKEN environment variable, which keeps it "
                    + "out of process listings; none: the API is open.")
    String apiToken;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create the pipeline's missing topics at start (default ${DEFAULT-VALUE})")
    boolean createTopics;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line: a configuration mistake (no bootstrap servers, a malformed duration, an inconsistent window)
     * is reported as one line and exit code 2, without a stack trace.
     */
    static CommandLine commandLine() {
        return new CommandLine(new AnalyticsApp()).setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof ConfigException || exception instanceof IllegalArgumentException) {
                commandLine.getErr().println("Configuration error: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
    }

    @Override
    public Integer call() throws Exception {
        Optional<ApiToken> token = ApiToken.of(apiToken);
        Map<String, Object> client = connection.load();
        putIfGiven(client, AnalyticsSettings.REFERENCE_DEVICE_TYPE, referenceDeviceType);
        putIfGiven(client, AnalyticsSettings.SHORT_SIZE, windowSize);
        putIfGiven(client, AnalyticsSettings.SHORT_ADVANCE, windowAdvance);
        putIfGiven(client, AnalyticsSettings.LONG_SIZE, longWindowSize);
        putIfGiven(client, AnalyticsSettings.LONG_ADVANCE, longWindowAdvance);
        putIfGiven(client, AnalyticsSettings.GRACE, grace);
        putLatencyBounds(client, latencyBounds);
        if (createTopics) {
            try (Admin admin = Admin.create(client)) {
                new TopicCreator(admin, Duration.ofMinutes(1)).ensureTopics(Topics.all());
            }
        }
        AnalyticsService service = AnalyticsService.start(client, applicationId, stateDir, advertisedHost, httpPort, token);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "analytics-shutdown"));
        log.info("Dashboard at http://{}:{}/", advertisedHost, httpPort);
        service.awaitStopped();
        return service.streams().state() == org.apache.kafka.streams.KafkaStreams.State.ERROR ? 1 : 0;
    }

    /**
     * @throws IllegalArgumentException naming the option and the value when a value is malformed
     */
    private static void putLatencyBounds(Map<String, Object> configs, List<String> values) {
        for (String value : values) {
            try {
                Map.Entry<String, String> property = LatencyBounds.property(value);
                configs.put(property.getKey(), property.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--latency-bound '" + value + "': " + e.getMessage(), e);
            }
        }
    }

    private static void putIfGiven(Map<String, Object> configs, String key, String value) {
        if (value != null) {
            configs.put(key, value);
        }
    }
}
