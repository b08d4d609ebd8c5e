package dev.edgeinfer.producer.replay;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import dev.edgeinfer.schemas.config.ConnectionOptions;
import dev.edgeinfer.schemas.config.Durations;
import dev.edgeinfer.schemas.serde.AvroDeserializer;
import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line entry point of the dead-letter replay: re-sends the frames of chosen dead letters, once each
 * ({@link DeadLetterReplayer} says how), and prints what it sent. {@code main} only wires.
 */
@Command(name = "replay-dead-letters", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Re-sends the frames of chosen dead letters to the frames topic after a fix, each frame once "
                + "however often it runs, and reports what it sent. Dead letters are only read, never removed.",
        footer = {"", "Times: an ISO-8601 instant (2026-12-08T04:00:00Z) or a time ago (" + Durations.GRAMMAR + ").",
                "Exit codes: 0 every chosen frame sent (now or before), 1 the replay failed, 2 bad arguments, "
                        + DeadLetterReplayApp.EXIT_NOT_REPLAYABLE + " some chosen dead letters cannot be replayed."})
public final class DeadLetterReplayApp implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayApp.class);

    static final int EXIT_NOT_REPLAYABLE = 3;
    private static final Duration TOPIC_SETUP_TIMEOUT = Duration.ofSeconds(60);

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Choose dead letters whose reason contains TEXT (case ignored); repeatable.")
    List<String> reasons = new ArrayList<>();

    @Option(names = "--stage", paramLabel = "STAGE", split = ",",
            description = "Choose dead letters of these stages: ${COMPLETION-CANDIDATES}; repeatable or comma-separated.")
    List<FailureStage> stages = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", description = "Choose dead letters written at or after TIME.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Choose dead letters written before TIME.")
    String to;

    @Option(names = "--frame-id", paramLabel = "ID", split = ",", description = "Choose dead letters of these frames; repeatable.")
    List<String> frameIds = new ArrayList<>();

    @Option(names = "--all", description = "Choose every dead letter (needed when no other choice is given).")
    boolean all;

    @Option(names = "--dry-run", description = "Report what would be sent; send nothing.")
    boolean dryRun;

    @Option(names = "--dead-letters-topic", paramLabel = "TOPIC", defaultValue = Topics.DEAD_LETTERS,
            description = "Default: ${DEFAULT-VALUE}.")
    String deadLettersTopic;

    @Option(names = "--to-topic", paramLabel = "TOPIC",
            description = "Where frames go; default: the topic each frame was read from (the frames topic).")
    String toTopic;

    @Option(names = "--ledger-topic", paramLabel = "TOPIC", defaultValue = DeadLetterReplayer.LEDGER_TOPIC,
            description = "Compacted topic recording every replayed frame, created when missing; default: ${DEFAULT-VALUE}.")
    String ledgerTopic;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "" + Topics.DEFAULT_REPLICATION_FACTOR,
            description = "Replication factor of the ledger topic when it is created (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--transactional-id", paramLabel = "ID", defaultValue = "edge-replay",
            description = "One per ledger: a run fences any earlier run with the same id (default: ${DEFAULT-VALUE}).")
    String transactionalId;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100", description = "Frames per transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling, for {@code main} and tests. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DeadLetterReplayApp()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            log.error("The replay failed: {}", exception.getMessage(), exception);
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        ReplaySelection selection = selection(Clock.systemUTC());
        ReplaySettings settings;
        try {
            settings = new ReplaySettings(deadLettersTopic, ledgerTopic, toTopic, selection, batchSize, dryRun);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Map<String, Object> clientConfig = connection.load();
        if (!dryRun) {
            ensureLedger(clientConfig);
        }
        ReplayReport report;
        AvroDeserializer<DeadLetter> deserializer = AvroDeserializer.forClass(DeadLetter.class);
        deserializer.configure(clientConfig, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(clientConfig),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = dryRun ? null : createProducer(clientConfig)) {
            report = new DeadLetterReplayer(consumer, producer, deserializer, settings, Clock.systemUTC()).run();
        }
        spec.commandLine().getOut().print(report.format());
        spec.commandLine().getOut().flush();
        return report.notReplayable().isEmpty() ? 0 : EXIT_NOT_REPLAYABLE;
    }

    /** The selection from the options; a bad time or an unnarrowed selection without --all is a usage error. */
    ReplaySelection selection(Clock clock) {
        try {
            ReplaySelection selection = new ReplaySelection(reasons, Set.copyOf(stages), time(from, "--from", clock),
                    time(to, "--to", clock), Set.copyOf(frameIds));
            if (selection.isEverything() != all) {
                throw new IllegalArgumentException(all ? "--all cannot be combined with --reason, --stage, --from, --to or --frame-id"
                        : "choose dead letters with --reason, --stage, --from, --to or --frame-id, or pass --all for every one");
            }
            return selection;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static Instant time(String text, String option, Clock clock) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return clock.instant().minus(Durations.parse(text));
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException(option + " '" + text + "' is neither an ISO-8601 instant "
                        + "(2026-12-08T04:00:00Z) nor a time ago (" + Durations.GRAMMAR + ")");
            }
        }
    }

    /** The dead-letters reader: committed records only, no group (it reads everything each run and commits nothing). */
    static Map<String, Object> consumerConfig(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // Dead letters of aborted device transactions never happened; ledger records of aborted replays neither.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // A dead letter carries a whole frame: up to the dead-letters topic's limit.
        config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_DEAD_LETTER_BYTES);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "dead-letter-replay");
        return config;
    }

    /** The transactional producer, initialized: any earlier run with the same id is fenced and its open batch aborted. */
    KafkaProducer<byte[], byte[]> createProducer(Map<String, Object> clientConfig) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        // Frames and their ledger records commit together or not at all: the ground of "once".
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A replayed frame is as large as the frames topic allows.
        config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_FRAME_BYTES);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "dead-letter-replay");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }

    private void ensureLedger(Map<String, Object> clientConfig) throws InterruptedException {
        try (Admin admin = Admin.create(clientConfig)) {
            List<String> created =
                    new TopicCreator(admin, TOPIC_SETUP_TIMEOUT).ensureTopics(List.of(ledgerSpec(ledgerTopic, replicationFactor)));
            if (!created.isEmpty()) {
                log.info("Created the ledger topic {}", ledgerTopic);
            }
        }
    }

    /** The ledger: one partition (it is small), compacted so it keeps one record per frame for as long as it lives. */
    static TopicSpec ledgerSpec(String topic, short replicationFactor) {
        return new TopicSpec(topic, 1, replicationFactor, Map.of("cleanup.policy", "compact",
                "min.insync.replicas", Integer.toString(Math.min(2, replicationFactor))));
    }
}
