package dev.edgeinfer.it.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.edgeinfer.analytics.AnalyticsApp;
import dev.edgeinfer.edge.EdgeConsumerApp;
import dev.edgeinfer.litert.LiteRtLibrary;
import dev.edgeinfer.openvino.OpenVinoLibrary;
import dev.edgeinfer.producer.FrameProducerApp;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * What can be checked of the images and the compose file without a Docker engine: the compose file against the
 * Compose Specification's schema, every option the images and the compose file set against the real command line of
 * the app it reaches (through the real entry point script), the images' main classes against the module scripts', and
 * the compose file's topics and versions against the code and the build.
 */
class DeploymentFilesTest {

    private static final DeploymentFiles FILES = DeploymentFiles.find();

    /** The command line of each app, as its main builds it. */
    private static final Map<String, Supplier<CommandLine>> COMMAND_LINES = Map.of(
            "producer", () -> new CommandLine(new FrameProducerApp()),
            "edge-consumer", () -> new CommandLine(new EdgeConsumerApp()),
            "analytics", () -> new CommandLine(new AnalyticsApp()));

    /** The script each module ships to run its app: the images must run the same main class. */
    private static final Map<String, String> MODULE_SCRIPTS = Map.of(
            "producer", "producer/bin/produce",
            "edge-consumer", "edge-consumer/bin/edge-consumer",
            "analytics", "analytics/bin/analytics");

    @Test
    void composeFileFollowsTheComposeSpecification() throws Exception {
        // The schema Docker Compose validates with (compose-go's schema/compose-spec.json, see docker/schema/README.md).
        ObjectNode schemaNode = (ObjectNode) new ObjectMapper().readTree(FILES.root().resolve("docker/schema/compose-spec.json").toFile());
        // Its $id is a bare file name, which this validator refuses as a base URI; every $ref in it is local.
        schemaNode.remove("$id");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
        Set<ValidationMessage> errors = schema.validate(FILES.compose());
        assertThat(errors).as("schema errors of docker/compose.yaml").isEmpty();

        // The check finds errors: a service option that does not exist.
        JsonNode broken = FILES.compose().deepCopy();
        ((ObjectNode) broken.path("services").path("producer")).put("restart_policy", "always");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void composeFileRunsEveryImageAndAClusterOfThreeBrokers() {
        JsonNode services = FILES.compose().path("services");
        Map<String, Integer> appServices = new TreeMap<>();
        List<String> brokers = new ArrayList<>();
        services.fields().forEachRemaining(service -> {
            String image = service.getValue().path("image").asText();
            String app = DeploymentFiles.appOfImage(image);
            if (app != null) {
                appServices.merge(app, 1, Integer::sum);
            }
            if (image.startsWith("apache/kafka:") && service.getValue().path("environment").has("KAFKA_NODE_ID")) {
                brokers.add(service.getKey());
                assertThat(service.getValue().path("environment").path("KAFKA_PROCESS_ROLES").asText()).contains("broker");
                assertThat(service.getValue().path("environment").path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText().split(",")).hasSize(3);
            }
        });
        assertThat(brokers).hasSize(3);
        assertThat(appServices).containsEntry("analytics", 2).containsEntry("producer", 1);
        assertThat(appServices.get("edge-consumer")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyOptionOfTheComposeFileAndTheImagesIsAcceptedByItsApp() throws Exception {
        List<String> checked = new ArrayList<>();
        var services = FILES.compose().path("services").fields();
        while (services.hasNext()) {
            var service = services.next();
            String app = DeploymentFiles.appOfImage(service.getValue().path("image").asText());
            if (app == null) {
                continue;
            }
            Map<String, String> environment = new LinkedHashMap<>(FILES.imageEnvironment(app));
            environment.putAll(FILES.serviceEnvironment(service.getValue()));
            List<String> options = parseWithTheApp(app, environment);
            // Every EDGEINFER_ variable became an option, none was dropped.
            long variables = environment.keySet().stream().filter(name -> name.startsWith("EDGEINFER_")).count();
            assertThat(options).as(service.getKey()).hasSize((int) variables);
            checked.add(service.getKey());
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"producer", "edge-consumer", "analytics"})
    void entrypointTurnsVariablesIntoOptionsTheAppParses(String app) throws Exception {
        Map<String, String> environment = new HashMap<>(FILES.imageEnvironment(app));
        environment.put("EDGEINFER_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092");
        environment.put("EDGEINFER_SCHEMA_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7");
        List<String> command = ImageLayout.printedCommand(FILES, app, environment);
        assertThat(command).contains("--bootstrap-servers=kafka-1:9092,kafka-2:9092",
                "--schema-registry-url=http://registry:8080/apis/ccompat/v7");
        CommandLine.ParseResult parsed = COMMAND_LINES.get(app).get().parseArgs(options(command, app).toArray(String[]::new));
        assertThat(parsed.matchedOptionValue("--bootstrap-servers", "")).isEqualTo("kafka-1:9092,kafka-2:9092");
        // Kafka's own tools spell it --bootstrap-server: both names are the one option.
        List<String> kafkaSpelling = options(command, app).stream()
                .map(option -> option.replace("--bootstrap-servers=", "--bootstrap-server=")).toList();
        assertThat(COMMAND_LINES.get(app).get().parseArgs(kafkaSpelling.toArray(String[]::new))
                .matchedOptionValue("--bootstrap-servers", "")).isEqualTo("kafka-1:9092,kafka-2:9092");

        // A misspelt variable reaches the app as an unknown option and is refused, not ignored.
        environment.put("EDGEINFER_BOOTSTRAP_SERVR", "kafka-1:9092");
        List<String> misspelt = options(ImageLayout.printedCommand(FILES, app, environment), app);
        assertThatThrownBy(() -> COMMAND_LINES.get(app).get().parseArgs(misspelt.toArray(String[]::new)))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--bootstrap-servr=");
    }

    @Test
    void entrypointRunsTheJvmUnderTheSchedulingPolicyAskedAndTheEdgeImageAsksForBatch() throws Exception {
        assertThat(ImageLayout.printedCommand(FILES, "edge-consumer", Map.of("CPU_SCHEDULING", "batch")))
                .startsWith("chrt", "--batch", "0", "java").contains("dev.edgeinfer.edge.EdgeConsumerApp");
        assertThat(ImageLayout.printedCommand(FILES, "edge-consumer", Map.of("CPU_SCHEDULING", "other"))).startsWith("java");
        assertThatThrownBy(() -> ImageLayout.printedCommand(FILES, "edge-consumer", Map.of("CPU_SCHEDULING", "fifo")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CPU_SCHEDULING is other or batch, not fifo");
        assertThat(FILES.imageEnvironment("edge-consumer")).containsEntry("CPU_SCHEDULING", "batch");
        assertThat(FILES.imageEnvironment("producer")).doesNotContainKey("CPU_SCHEDULING");
        assertThat(FILES.imageEnvironment("analytics")).doesNotContainKey("CPU_SCHEDULING");
    }

    @Test
    void entrypointTurnsTrueAndFalseIntoFlagsAndLeavesEmptyValuesOut() throws Exception {
        List<String> command = ImageLayout.printedCommand(FILES, "edge-consumer", Map.of(
                "EDGEINFER_CREATE_TOPICS", "false", "EDGEINFER_DEVICE_TYPE", "", "JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC"));
        assertThat(command).containsExactly("java", "-Xmx64m", "-XX:+UseSerialGC", "dev.edgeinfer.edge.EdgeConsumerApp",
                "--no-create-topics");
        CommandLine edge = new CommandLine(new EdgeConsumerApp());
        edge.parseArgs(options(command, "edge-consumer").toArray(String[]::new));
        assertThat((Boolean) edge.getCommandSpec().findOption("--create-topics").getValue()).isFalse();
        List<String> producer = ImageLayout.printedCommand(FILES, "producer", Map.of("EDGEINFER_LOOP", "true", "EDGEINFER_COUNT", "100"));
        CommandLine frameProducer = new CommandLine(new FrameProducerApp());
        frameProducer.parseArgs(options(producer, "producer").toArray(String[]::new));
        assertThat((Boolean) frameProducer.getCommandSpec().findOption("--loop").getValue()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"producer", "edge-consumer", "analytics"})
    void imagesRunTheModuleScriptsMainClassFromTheLayoutsEntrypoint(String app) throws Exception {
        List<String> entrypoint = FILES.entrypoint(app);
        assertThat(entrypoint).hasSize(2);
        assertThat(entrypoint.get(0)).isEqualTo("/app/bin/entrypoint");
        Matcher script = Pattern.compile("bin/run-app\" " + Pattern.quote(app) + " (\\S+)")
                .matcher(FILES.read(FILES.root().resolve(MODULE_SCRIPTS.get(app))));
        assertThat(script.find()).as(MODULE_SCRIPTS.get(app) + " runs bin/run-app").isTrue();
        assertThat(entrypoint.get(1)).isEqualTo(script.group(1));
        assertThat(Class.forName(entrypoint.get(1)).getMethod("main", String[].class)).isNotNull();

        String dockerfile = FILES.dockerfileText(app);
        assertThat(dockerfile).as("build stage: the module's own build and the layout script")
                .contains("mvn -B -q -pl " + app + " -am package -DskipTests")
                .contains("docker/bin/image-layout " + app + " /out/app")
                .contains("COPY --from=build /out/app /app");
        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtimeStage).startsWith("\nFROM eclipse-temurin:17-jre\n").contains("\nUSER 10001:10001\n");
        assertThat(FILES.root().resolve("docker/" + app + ".Dockerfile.dockerignore")).isRegularFile();
    }

    @Test
    void topicsServiceCreatesEveryTopicOfThePipelineWithItsConfigs() {
        String script = FILES.compose().path("services").path("topics").path("command").get(0).asText();
        Matcher layout = Pattern.compile("--replication-factor (\\d+)").matcher(script);
        assertThat(layout.find()).isTrue();
        short replicationFactor = Short.parseShort(layout.group(1));
        assertThat(replicationFactor).isEqualTo((short) 3);

        Map<String, Map<String, String>> created = new TreeMap<>();
        Map<String, Integer> partitionsOf = new TreeMap<>();
        Matcher create = Pattern.compile("(?m)^create --topic (\\S+) --partitions (\\d+)((?: --config \\S+)*)\\s*$")
                .matcher(script);
        while (create.find()) {
            partitionsOf.put(create.group(1), Integer.parseInt(create.group(2)));
            Map<String, String> configs = new TreeMap<>();
            for (String config : create.group(3).trim().split("\\s*--config\\s+")) {
                if (!config.isBlank()) {
                    configs.put(config.substring(0, config.indexOf('=')), config.substring(config.indexOf('=') + 1));
                }
            }
            created.put(create.group(1), configs);
        }
        // The data topics take the cluster's layout (the frames topic's); the models topics have the partitions the code
        // gives them whatever the layout.
        List<TopicSpec> specs = Topics.all(partitionsOf.get(Topics.FRAMES), replicationFactor);
        assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(specs.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : specs) {
            assertThat(partitionsOf.get(spec.name())).as(spec.name() + " partitions").isEqualTo(spec.partitions());
        }
        // Every config the code gives a topic, with the same value; the file may set more (limits a newer version of
        // the code sets too), never less.
        for (TopicSpec spec : specs) {
            assertThat(created.get(spec.name())).as(spec.name()).containsAllEntriesOf(spec.configs());
        }
    }

    @Test
    void imagesAndComposeFileUseTheBuildsVersions() {
        String kafka = FILES.pomProperty("kafka.version");
        String apicurio = FILES.pomProperty("apicurio.version");
        JsonNode services = FILES.compose().path("services");
        services.fields().forEachRemaining(service -> {
            String image = service.getValue().path("image").asText();
            if (image.startsWith("apache/kafka:")) {
                assertThat(image).as(service.getKey()).isEqualTo("apache/kafka:" + kafka);
            }
            if (image.startsWith("apicurio/")) {
                assertThat(image).as(service.getKey()).endsWith(":" + apicurio);
            }
        });
        Matcher openvino = Pattern.compile("ARG OPENVINO_VERSION=(\\S+)").matcher(FILES.dockerfileText("edge-consumer"));
        assertThat(openvino.find()).isTrue();
        assertThat(openvino.group(1)).isEqualTo(OpenVinoLibrary.PINNED_VERSION);
        assertThat(FILES.read(FILES.root().resolve("model/requirements-runtime.txt")))
                .contains("openvino==" + OpenVinoLibrary.PINNED_VERSION);
        Matcher litert = Pattern.compile("ARG LITERT_VERSION=(\\S+)").matcher(FILES.dockerfileText("edge-consumer"));
        assertThat(litert.find()).isTrue();
        assertThat(litert.group(1)).isEqualTo(LiteRtLibrary.PINNED_VERSION);
        assertThat(FILES.read(FILES.root().resolve("model/requirements-runtime.txt")))
                .contains("ai-edge-litert==" + LiteRtLibrary.PINNED_VERSION);
    }

    /** Parses the printed command's options with the app's real command line; fails on any option it does not know. */
    private static List<String> parseWithTheApp(String app, Map<String, String> environment) throws Exception {
        List<String> options = options(ImageLayout.printedCommand(FILES, app, environment), app);
        COMMAND_LINES.get(app).get().parseArgs(options.toArray(String[]::new));
        return options;
    }

    /** What follows the main class in a printed command. */
    private static List<String> options(List<String> command, String app) {
        String mainClass = FILES.entrypoint(app).get(1);
        return command.subList(command.indexOf(mainClass) + 1, command.size());
    }
}
