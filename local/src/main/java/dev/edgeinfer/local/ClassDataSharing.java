package dev.edgeinfer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data-sharing archive for the registry JVM, made by its first run and used by later ones.
 *
 * <p>Loading and verifying the registry's classes is most of its start-up; with the archive a start took about half
 * as long on a 2-core machine. The archive is valid only for the exact JVM and class path it was made with, so
 * its name carries a hash of both, and {@link ParentWatchdog} is copied to a small jar at a fixed place (the module's
 * own code sits in {@code target/classes}, a jar in the build, or the local repository, depending on who runs it).
 *
 * <p>A run without an archive asks the JVM to write one when it exits, to a temporary name that
 * {@link #publish()} renames once the JVM has ended, so concurrent runs never read a half-written archive. A JVM
 * that rejects an archive (another JDK build, a changed jar) says so in its log and starts without it.
 */
final class ClassDataSharing {

    private static final Logger log = LoggerFactory.getLogger(ClassDataSharing.class);
    private static final Pattern PENDING_NAME = Pattern.compile(".*\\.jsa\\.(\\d+)-[0-9a-f]+\\.tmp");
    private static final String WATCHDOG_ENTRY = ParentWatchdog.class.getName().replace('.', '/') + ".class";

    private final Path watchdogJar;
    private final Path archive;
    private final Path pendingArchive;
    private final boolean archiveExists;

    private ClassDataSharing(Path watchdogJar, Path archive, Path pendingArchive) {
        this.watchdogJar = watchdogJar;
        this.archive = archive;
        this.pendingArchive = pendingArchive;
        this.archiveExists = Files.isRegularFile(archive);
    }

    /** The default cache: {@code cds} beside the local stacks' run folders. */
    static Path defaultCacheDir() {
        return RunDirectories.defaultParent().resolve("cds");
    }

    /**
     * Prepares the watchdog jar and names the archive for this JVM and distribution.
     *
     * @throws UncheckedIOException if the cache folder or the watchdog jar cannot be written
     */
    static ClassDataSharing prepare(Path cacheDir, ApicurioHome home) {
        byte[] watchdog = watchdogClassBytes();
        String watchdogHash = sha256(watchdog).substring(0, 16);
        try {
            Files.createDirectories(cacheDir);
            Path watchdogJar = cacheDir.resolve("parent-watchdog-" + watchdogHash + ".jar");
            if (!Files.isRegularFile(watchdogJar)) {
                writeAtomically(watchdogJar, out -> writeWatchdogJar(out, watchdog));
            }
            String key = sha256((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|"
                    + watchdogJar.toAbsolutePath() + "|" + home.runnerJar().toAbsolutePath() + "|"
                    + Files.size(home.runnerJar()) + "|" + Files.getLastModifiedTime(home.runnerJar()).toMillis())
                    .getBytes(StandardCharsets.UTF_8)).substring(0, 16);
            Path archive = cacheDir.resolve("apicurio-registry-" + key + ".jsa");
            sweepAbandonedArchives(cacheDir);
            Path pending = cacheDir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + "-"
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".tmp");
            return new ClassDataSharing(watchdogJar, archive, pending);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the class-data-sharing cache in " + cacheDir, e);
        }
    }

    /** Deletes archives being written by processes that are gone: killed while the registry JVM was writing. */
    static void sweepAbandonedArchives(Path cacheDir) throws IOException {
        try (DirectoryStream<Path> pending = Files.newDirectoryStream(cacheDir, "*.jsa.*.tmp")) {
            for (Path file : pending) {
                Matcher name = PENDING_NAME.matcher(file.getFileName().toString());
                if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).map(p -> !p.isAlive()).orElse(true)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The jar holding {@link ParentWatchdog}, first on the registry's class path. */
    Path watchdogJar() {
        return watchdogJar;
    }

    /** Whether this run uses an existing archive rather than making one. */
    boolean usesArchive() {
        return archiveExists;
    }

    /** JVM options that use the archive, or make it at exit when there is none yet. */
    List<String> jvmOptions() {
        return archiveExists
                ? List.of("-XX:SharedArchiveFile=" + archive)
                : List.of("-XX:ArchiveClassesAtExit=" + pendingArchive);
    }

    /**
     * After the JVM has ended by itself: gives a freshly written archive its final name. A killed JVM writes none.
     *
     * @throws UncheckedIOException if the archive cannot be renamed
     */
    void publish() {
        if (archiveExists || !Files.isRegularFile(pendingArchive)) {
            return;
        }
        try {
            Files.move(pendingArchive, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("Saved a class-data-sharing archive for faster registry starts: {}", archive);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rename the registry's class-data-sharing archive " + pendingArchive
                    + " to " + archive, e);
        }
    }

    private static byte[] watchdogClassBytes() {
        try (InputStream in = ParentWatchdog.class.getClassLoader().getResourceAsStream(WATCHDOG_ENTRY)) {
            if (in == null) {
                throw new IllegalStateException("Class file " + WATCHDOG_ENTRY + " not found on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the class file " + WATCHDOG_ENTRY, e);
        }
    }

    private static void writeWatchdogJar(OutputStream out, byte[] watchdog) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry(WATCHDOG_ENTRY));
            jar.write(watchdog);
            jar.closeEntry();
        }
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes to a temporary file and renames it, so concurrent starts see a whole file or none. */
    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
