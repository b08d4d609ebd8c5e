package dev.edgeinfer.local;

import dev.edgeinfer.schemas.topics.TopicCreator;
import dev.edgeinfer.schemas.topics.TopicSpec;
import dev.edgeinfer.schemas.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Settings of a local stack ({@link LocalStack#builder()}); each {@link #start()} starts a new one. */
public final class LocalStackBuilder {

    // The stack's own category: its start is the stack's story.
    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private int kafkaPort;
    private int registryPort;
    private Path dataDir;
    private Path logDir;
    private boolean logDirInDataDir;
    private Path runParent = RunDirectories.defaultParent();
    private int partitions = Topics.DEFAULT_PARTITIONS;
    private int brokers = 1;
    private boolean registry = true;
    private Optional<List<TopicSpec>> topics = Optional.empty();
    // Generous: only a failing start waits this long, and a machine busy with parallel builds can take minutes.
    private Duration startupTimeout = Duration.ofMinutes(3);
    private Optional<ApicurioHome> registryHome = Optional.empty();
    private boolean secure;

    LocalStackBuilder() {
    }

    /**
     * Whether clients must use TLS and SASL/SCRAM-SHA-512 and are authorized by ACLs ({@link StackAcls}); off by
     * default. A secure stack writes one client {@code .properties} file per {@link StackPrincipal} into its data
     * folder ({@link LocalStack#clientPropertiesFile(StackPrincipal)}). The registry stays plain HTTP.
     */
    public LocalStackBuilder secure(boolean enabled) {
        this.secure = enabled;
        return this;
    }

    /** Client port of the broker; 0 (the default) picks a free one. */
    public LocalStackBuilder kafkaPort(int port) {
        this.kafkaPort = port;
        return this;
    }

    /** Port of the registry; 0 (the default) picks a free one. */
    public LocalStackBuilder registryPort(int port) {
        this.registryPort = port;
        return this;
    }

    /** A data folder to use and keep; by default a fresh one is created and deleted at close. */
    public LocalStackBuilder dataDir(Path dir) {
        this.dataDir = dir;
        return this;
    }

    /**
     * A folder for the stack's logs, created if missing: {@code kafka.log}, the log of the broker(s), and
     * {@code apicurio-registry.log}, the registry JVM's output; both are appended to. While the stack runs,
     * every logger of this JVM under {@code kafka}, {@code org.apache.kafka} and {@code state.change.logger}
     * writes to {@code kafka.log} from INFO, warnings and errors included, and to no other appender, the console
     * neither; Kafka clients in this JVM therefore log there too. By default there is no log folder: the
     * registry's output goes to the data folder and the broker logs as this JVM's logging is configured.
     */
    public LocalStackBuilder logDir(Path dir) {
        this.logDir = dir;
        this.logDirInDataDir = false;
        return this;
    }

    /** As {@link #logDir(Path)} with {@code logs} in the data folder, which may be created only at start. */
    LocalStackBuilder logDirInDataDir() {
        this.logDir = null;
        this.logDirInDataDir = true;
        return this;
    }

    /** Whether {@link #logDir(Path)} or {@link #logDirInDataDir()} was called. */
    boolean hasLogDir() {
        return logDir != null || logDirInDataDir;
    }

    /** Parent of the temporary data folders; stale ones under it are swept at start. */
    public LocalStackBuilder runParent(Path parent) {
        this.runParent = parent;
        return this;
    }

    /** Partitions of the pipeline's topics and the broker's default for other topics. */
    public LocalStackBuilder partitions(int count) {
        this.partitions = count;
        return this;
    }

    /**
     * Number of Kafka brokers (default 1). With more than one, the pipeline's topics are replicated to up to three
     * of them with {@code min.insync.replicas} 2, as in a production cluster; node 0 is also the controller.
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public LocalStackBuilder brokers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a local stack needs at least one broker: " + count);
        }
        this.brokers = count;
        return this;
    }

    /** Whether to start the schema registry (the default); tests of plain Kafka code can save its start. */
    public LocalStackBuilder registry(boolean enabled) {
        this.registry = enabled;
        return this;
    }

    /** Topics to create instead of the pipeline's ({@code Topics.all(partitions, min(3, brokers))}). */
    public LocalStackBuilder topics(List<TopicSpec> specs) {
        this.topics = Optional.of(List.copyOf(specs));
        return this;
    }

    /** The registry distribution to run instead of the one {@link ApicurioHome#locate()} finds. */
    LocalStackBuilder registryHome(ApicurioHome home) {
        this.registryHome = Optional.of(home);
        return this;
    }

    /** How long broker, registry and topics may take to become ready. */
    public LocalStackBuilder startupTimeout(Duration timeout) {
        this.startupTimeout = timeout;
        return this;
    }

    /**
     * Starts broker and registry in parallel, creates the topics, and returns when everything answers.
     *
     * @throws LocalStackException if a part fails to start in time; the parts already started are stopped
     * @throws IllegalStateException if the registry distribution cannot be found (see {@link ApicurioHome})
     */
    public LocalStack start() {
        long startNanos = System.nanoTime();
        ApicurioHome home = registry ? registryHome.orElseGet(ApicurioHome::locate) : null;
        boolean ownsDataDir = dataDir == null;
        Path dir = ownsDataDir ? RunDirectories.create(runParent) : dataDir;
        Path logs = logDirInDataDir ? dir.resolve("logs") : logDir;
        KafkaLogFile kafkaLog;
        try {
            kafkaLog = logs == null ? null : KafkaLogFile.open(logs.resolve(KafkaLogFile.FILE_NAME));
        } catch (RuntimeException e) {
            throw abort(e, null, null, null, dir, ownsDataDir);
        }
        List<TopicSpec> specs = topics.orElseGet(() -> Topics.all(partitions, replicationFactor(brokers)));
        FutureTask<StartedRegistry> registryStart = home == null ? null
                : startRegistryInBackground(home, logs == null ? dir : logs, startNanos);
        KafkaCluster kafka = null;
        try {
            StackSecurity security = secure ? StackSecurity.create(ownerOnly(dir).resolve("tls")) : null;
            kafka = KafkaCluster.start(brokers, kafkaPort, dir, partitions, security);
            long kafkaMillis = millisSince(startNanos);
            Map<String, Object> admin = new LinkedHashMap<>();
            if (security != null) {
                admin.putAll(security.clientSettings(StackPrincipal.ADMIN));
            }
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            createTopics(admin, specs);
            if (security != null) {
                createAcls(admin);
            }
            long topicsMillis = millisSince(startNanos);
            StartedRegistry started = registryStart == null ? null : registryStart.get();
            ApicurioRegistry startedRegistry = started == null ? null : started.registry();
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            log.info("Local stack ready in {} ms (Kafka after {} ms, topics after {} ms{}): Kafka at {}{}{}", took.toMillis(),
                    kafkaMillis, topicsMillis, started == null ? "" : ", registry after " + started.readyMillis() + " ms",
                    kafka.bootstrapServers(), security == null ? "" : " (SASL_SSL, ACLs)",
                    started == null ? ", no registry" : ", registry at " + startedRegistry.url());
            LocalStack stack = new LocalStack(kafka, startedRegistry, dir, ownsDataDir, kafkaLog, specs, took, security, Map.of());
            return security == null ? stack : stack.withClientPropertiesFiles();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abort(new LocalStackException("Interrupted while starting the local stack in " + dir, e),
                    kafka, registryStart, kafkaLog, dir, ownsDataDir);
        } catch (ExecutionException e) {
            throw abort(e.getCause() instanceof RuntimeException r ? r
                    : new LocalStackException("Starting the schema registry failed", e.getCause()),
                    kafka, registryStart, kafkaLog, dir, ownsDataDir);
        } catch (RuntimeException e) {
            throw abort(e, kafka, registryStart, kafkaLog, dir, ownsDataDir);
        }
    }

    private FutureTask<StartedRegistry> startRegistryInBackground(ApicurioHome home, Path logDir, long startNanos) {
        FutureTask<StartedRegistry> task = new FutureTask<>(() -> new StartedRegistry(
                ApicurioRegistry.start(home, registryPort, logDir, startupTimeout), millisSince(startNanos)));
        Thread thread = new Thread(task, "apicurio-registry-start");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** The folder, made private to its owner where the file system allows: it holds keys and passwords. */
    private static Path ownerOnly(Path dir) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make the data folder " + dir + " private", e);
            }
        }
        return dir;
    }

    /** Three copies where the cluster has them, as is usual in production; one per broker below that. */
    private static short replicationFactor(int brokers) {
        return (short) Math.min(3, brokers);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private void createTopics(Map<String, Object> adminSettings, List<TopicSpec> specs) throws InterruptedException {
        try (Admin admin = Admin.create(adminSettings)) {
            new TopicCreator(admin, startupTimeout).ensureTopics(specs);
        }
    }

    /**
     * Creates the ACLs of {@link StackAcls} and waits until the broker authorizes with them: the controller
     * commits them first, and the broker learns of them a moment later.
     */
    private void createAcls(Map<String, Object> adminSettings) throws InterruptedException {
        List<AclBinding> acls = StackAcls.all();
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        try (Admin admin = Admin.create(adminSettings)) {
            admin.createAcls(acls).all().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            while (admin.describeAcls(AclBindingFilter.ANY).values().get().size() < acls.size()) {
                if (System.nanoTime() > deadline) {
                    throw new LocalStackException("The broker did not apply the local stack's " + acls.size()
                            + " ACLs within " + startupTimeout);
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            throw new LocalStackException("Creating the local stack's ACLs failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LocalStackException("Creating the local stack's ACLs did not finish within " + startupTimeout, e);
        }
    }

    /** Stops what was started, including a registry still starting, and returns {@code failure} to throw. */
    private static RuntimeException abort(RuntimeException failure, KafkaCluster kafka, FutureTask<StartedRegistry> registryStart,
                                          KafkaLogFile kafkaLog, Path dir, boolean ownsDataDir) {
        if (registryStart != null) {
            if (Thread.currentThread().isInterrupted()) {
                // An interrupted start stops its registry JVM itself; one that already finished is closed below.
                registryStart.cancel(true);
            }
            try {
                // Otherwise wait for the start to end (it has its own timeout) so that its JVM can be stopped.
                registryStart.get().registry().close();
            } catch (InterruptedException e) {
                registryStart.cancel(true);
                Thread.currentThread().interrupt();
                failure.addSuppressed(e);
            } catch (CancellationException e) {
                log.debug("The registry start was cancelled and stops its JVM itself");
            } catch (ExecutionException e) {
                if (e.getCause() != failure) {
                    failure.addSuppressed(e.getCause());
                }
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (kafka != null) {
            try {
                kafka.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (kafkaLog != null) {
            kafkaLog.close();
        }
        if (ownsDataDir) {
            try {
                RunDirectories.deleteRecursively(dir);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    private record StartedRegistry(ApicurioRegistry registry, long readyMillis) {
    }
}
