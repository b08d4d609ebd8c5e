package dev.edgeinfer.producer.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the CIFAR-10 binary batches available in a folder: used as they are when complete, otherwise the official
 * archive is downloaded, checked against its published MD5 and unpacked. Unpacking goes to a sibling folder that is
 * renamed into place at the end, so an interrupted run never leaves a half-filled data folder behind.
 */
public final class Cifar10Archive {

    private static final Logger log = LoggerFactory.getLogger(Cifar10Archive.class);

    public static final URI OFFICIAL_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    /** MD5 published on the CIFAR-10 page for {@link #OFFICIAL_URL}. */
    public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    /** The archive's top folder, stripped when unpacking. */
    static final String ARCHIVE_FOLDER = "cifar-10-batches-bin";

    /** Told how far a download or unpack has come; {@code total} is -1 when unknown. */
    @FunctionalInterface
    public interface Progress {
        void update(String stage, long done, long total);
    }

    private Cifar10Archive() {
    }

    /**
     * Returns {@code dir} once it holds every batch file, downloading and unpacking the official archive first when
     * it does not.
     *
     * @throws SourceException if the download fails, the checksum differs, or the archive cannot be unpacked
     * @throws InterruptedException if interrupted while downloading
     */
    public static Path ensurePresent(Path dir, Progress progress) throws InterruptedException {
        if (Cifar10Source.isComplete(dir)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        Path archive = parent.resolve("cifar-10-binary.tar.gz");
        log.info("CIFAR-10 batches not found in {}; downloading {}", dir, OFFICIAL_URL);
        try {
            Files.createDirectories(parent);
            download(OFFICIAL_URL, archive, progress);
        } catch (IOException e) {
            throw new SourceException("Cannot download " + OFFICIAL_URL + " to " + archive
                    + "; set CIFAR10_DIR or --cifar10-dir to a folder that holds the binary batches: " + e, e);
        }
        verifyMd5(archive, OFFICIAL_MD5);
        unpack(archive, dir, progress);
        try {
            Files.delete(archive);
        } catch (IOException e) {
            log.warn("Unpacked {} but cannot delete the archive {}: {}", dir, archive, e.toString());
        }
        return dir;
    }

    static void download(URI url, Path target, Progress progress) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from " + url);
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (OutputStream out = Files.newOutputStream(partial)) {
                copy(body, out, "download", total, progress);
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Checks the archive's MD5 against the expected hex digest.
     *
     * @throws SourceException if they differ (the message gives both) or the file cannot be read
     */
    public static void verifyMd5(Path archive, String expectedHex) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides MD5", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(archive), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new SourceException("Cannot read " + archive + " to check its MD5: " + e, e);
        }
        String actual = HexFormat.of().formatHex(md5.digest());
        if (!actual.equalsIgnoreCase(expectedHex)) {
            throw new SourceException("MD5 of " + archive + " is " + actual + ", expected " + expectedHex
                    + "; the download is corrupt or not the official CIFAR-10 binary archive. Delete it and try again.");
        }
        log.info("MD5 of {} verified: {}", archive.getFileName(), actual);
    }

    /**
     * Unpacks the regular files under the archive's top folder into {@code dir}, via a sibling folder renamed into
     * place at the end.
     *
     * @throws SourceException if the archive is not a gzip'd tar, an entry points outside the folder, or a file
     *                         cannot be written
     */
    public static void unpack(Path archive, Path dir, Progress progress) {
        Path target = dir.toAbsolutePath();
        Path staging = target.resolveSibling(target.getFileName() + ".unpacking");
        try {
            unpackVia(archive, target, staging, progress);
        } catch (SourceException e) {
            try {
                deleteRecursively(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void unpackVia(Path archive, Path target, Path staging, Progress progress) {
        long total;
        try {
            total = Files.size(archive);
            deleteRecursively(staging);
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new SourceException("Cannot prepare " + staging + " to unpack " + archive + ": " + e, e);
        }
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(counted)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile()) {
                    continue;
                }
                Path file = staging.resolve(stripTopFolder(entry.getName())).normalize();
                if (!file.startsWith(staging) || file.equals(staging)) {
                    throw new SourceException("Archive " + archive + " has entry " + entry.getName()
                            + " that points outside the folder it is unpacked to; refusing it");
                }
                Files.createDirectories(file.getParent());
                Files.copy(tar, file);
                progress.update("unpack", counted.count, total);
            }
        } catch (IOException e) {
            throw new SourceException("Cannot unpack " + archive + " into " + staging + ": " + e, e);
        }
        if (!Cifar10Source.isComplete(staging)) {
            throw new SourceException("Archive " + archive + " does not hold every CIFAR-10 batch file under "
                    + ARCHIVE_FOLDER + "/");
        }
        try {
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(staging)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.delete(staging);
            } else {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new SourceException("Cannot move the unpacked batches from " + staging + " to " + target + ": " + e, e);
        }
        log.info("Unpacked CIFAR-10 batches into {}", target);
    }

    private static String stripTopFolder(String name) {
        String prefix = ARCHIVE_FOLDER + "/";
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    private static void copy(InputStream in, OutputStream out, String stage, long total, Progress progress) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        long lastReport = 0;
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            done += read;
            if (done - lastReport >= (1 << 20)) {
                progress.update(stage, done, total);
                lastReport = done;
            }
        }
        progress.update(stage, done, total);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /** Counts compressed bytes read, for unpack progress. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
