package dev.edgeinfer.local;

import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts the local stack alone, prints how to connect to it, and runs until Ctrl-C.
 *
 * <p>For users who want a sandbox to point the apps or their own tools at.
 */
@Command(name = "local-stack",
        description = "Starts a Kafka broker (KRaft) and an Apicurio schema registry on 127.0.0.1 with the pipeline's topics, "
                + "prints how to connect, and runs until Ctrl-C.")
public final class LocalStackCommand implements Callable<Integer> {

    /** First word of the line printed once everything answers; tests and scripts wait for it. */
    static final String READY_LINE_START = "Local stack ready in";
    /**
     * This command's Logback configuration, on the class path. The module ships no {@code logback.xml}: on the class
     * path of the demo, of the apps it starts and of other modules' tests, one would take over their logging.
     */
    static final String LOGBACK_CONFIGURATION = "dev/edgeinfer/local/local-stack-logback.xml";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--kafka-port", description = "Kafka client port on 127.0.0.1 (0 = a free port). Default: ${DEFAULT-VALUE}.")
    int kafkaPort = 0;

    @Option(names = "--registry-port", description = "Schema registry port on 127.0.0.1 (0 = a free port). Default: ${DEFAULT-VALUE}.")
    int registryPort = 0;

    @Option(names = "--data-dir", description = "Data folder to use and keep. "
            + "Default: a fresh folder under ${java.io.tmpdir}/edgeinfer-local, deleted at exit.")
    Path dataDir;

    @Option(names = "--log-dir", description = "Folder for the broker's log (kafka.log: everything Kafka logs in this JVM, "
            + "warnings and errors included, which the terminal does not show) and the registry's (apicurio-registry.log). "
            + "Default: logs/ in the data folder.")
    Path logDir;

    @Option(names = "--partitions", description = "Partitions per topic. Default: ${DEFAULT-VALUE}.")
    int partitions = Topics.DEFAULT_PARTITIONS;

    @Option(names = "--brokers", description = "Kafka brokers; with more than one the topics get replication factor min(3, brokers) "
            + "and min.insync.replicas 2. Default: ${DEFAULT-VALUE}.")
    int brokers = 1;

    @Option(names = "--no-registry", negatable = false, description = "Start Kafka only.")
    boolean noRegistry;

    @Option(names = "--secure", negatable = false, description = "Clients connect with TLS and SASL/SCRAM-SHA-512 as one of "
            + "the principals admin, producer, edge, analytics, and ACLs limit each to its part of the pipeline; "
            + "one client properties file per principal is written into the data folder.")
    boolean secure;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Before anything logs, which is when Logback reads its configuration; -Dlogback.configurationFile overrides it.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
        }
        System.exit(new CommandLine(new LocalStackCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalStackBuilder builder = LocalStack.builder()
                .kafkaPort(kafkaPort)
                .registryPort(registryPort)
                .partitions(partitions)
                .brokers(brokers)
                .registry(!noRegistry)
                .secure(secure);
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        if (logDir != null) {
            builder.logDir(logDir);
        } else {
            builder.logDirInDataDir();
        }
        LocalStack stack = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C ends the JVM through its shutdown hooks; this one stops the stack and lets the main thread finish.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } finally {
                stopped.countDown();
            }
        }, "local-stack-stopper"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(describe(stack, stack.isSecure() ? stack.clientPropertiesFile(StackPrincipal.ADMIN) : writeClientProperties(stack)));
        out.flush();
        stopped.await();
        return 0;
    }

    /** Writes the stack's client settings to a file that the apps and other Kafka tools can read. */
    static Path writeClientProperties(LocalStack stack) {
        Path file = stack.dataDir().resolve("client.properties");
        String content = stack.clientProperties().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# Client settings of the local stack\n", "\n"));
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the client settings to " + file, e);
        }
        return file;
    }

    static String describe(LocalStack stack, Path clientProperties) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s %.1f s%n", READY_LINE_START, stack.startupDuration().toMillis() / 1000.0));
        text.append(String.format("%n  Bootstrap servers:    %s%n", stack.bootstrapServers()));
        if (stack.hasRegistry()) {
            text.append(String.format("  Schema registry URL:  %s  (Confluent-compatible API, compatibility BACKWARD)%n",
                    stack.schemaRegistryUrl()));
        } else {
            text.append(String.format("  Schema registry:      not started (--no-registry)%n"));
        }
        if (stack.isSecure()) {
            text.append(String.format("  Security:             SASL_SSL with %s; ACLs, everything else denied%n",
                    StackSecurity.SASL_MECHANISM));
            text.append(
                    String.format("  Client properties:    one per principal (--config of the apps, --command-config of Kafka's tools)%n"));
            for (StackPrincipal principal : StackPrincipal.values()) {
                text.append(String.format("    %-10s %s%s%n", principal.userName(), stack.clientPropertiesFile(principal),
                        principal == StackPrincipal.ADMIN ? "  (super user)" : ""));
            }
        } else {
            text.append(String.format("  Client properties:    %s%n", clientProperties));
        }
        text.append(String.format("  Data folder:          %s%n", stack.dataDir()));
        stack.logDir().ifPresent(logs -> text.append(String.format(
                "  Logs:                 %s  (kafka.log: the broker's; %s: the registry's)%n", logs, ApicurioRegistry.LOG_FILE)));
        text.append(String.format("%n  Topics:%n"));
        for (TopicSpec topic : stack.topics()) {
            text.append(String.format("    %-24s %d partition(s), replication factor %d, %s%n", topic.name(), topic.partitions(),
                    topic.replicationFactor(), configs(topic.configs())));
        }
        if (stack.isSecure()) {
            text.append(String.format(
                    "%n  Connect the apps with --config and their principal's file, e.g.:%n    edge-consumer/bin/edge-consumer --config %s --no-create-topics%n",
                    stack.clientPropertiesFile(StackPrincipal.EDGE)));
            text.append(String.format("    kafka-topics.sh --bootstrap-server %s --command-config %s --list%n%nPress Ctrl-C to stop.%n",
                    stack.bootstrapServers(), stack.clientPropertiesFile(StackPrincipal.ADMIN)));
            return text.toString();
        }
        text.append(String.format("%n  Connect the apps with:%n    --bootstrap-servers %s", stack.bootstrapServers()));
        if (stack.hasRegistry()) {
            text.append(" --schema-registry-url ").append(stack.schemaRegistryUrl());
            text.append(String.format("%n%n  Look around:%n    curl %s/subjects%n    curl %s/config",
                    stack.schemaRegistryUrl(), stack.schemaRegistryUrl()));
        }
        text.append(String.format("%n    kcat -b %s -L%n%nPress Ctrl-C to stop.%n", stack.bootstrapServers()));
        return text.toString();
    }

    private static String configs(Map<String, String> configs) {
        return configs.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
