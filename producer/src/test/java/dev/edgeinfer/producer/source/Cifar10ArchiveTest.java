package dev.edgeinfer.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify-and-unpack half of getting CIFAR-10. The download itself needs the internet and is not exercised by
 * the tests; these run on a small archive built here with the official layout ({@code cifar-10-batches-bin/...}).
 */
class Cifar10ArchiveTest {

    @TempDir
    Path tmp;

    @Test
    void verifiesTheMd5AndUnpacksTheBatchesIntoTheFolder() throws Exception {
        Path archive = officialLayoutArchive("cifar-10-batches-bin/");
        List<String> stages = new ArrayList<>();
        Path target = tmp.resolve("data").resolve("cifar-10-batches-bin");

        Cifar10Archive.verifyMd5(archive, md5(archive));
        Cifar10Archive.unpack(archive, target, (stage, done, total) -> stages.add(stage));

        assertThat(Cifar10Source.isComplete(target)).isTrue();
        assertThat(target.resolve("batches.meta.txt")).exists();
        assertThat(stages).contains("unpack");
        assertThat(target.resolveSibling("cifar-10-batches-bin.unpacking")).doesNotExist();
        try (Cifar10Source test = Cifar10Source.open(target, Cifar10Source.Split.TEST)) {
            assertThat(test.size()).isEqualTo(2);
        }
    }

    @Test
    void wrongMd5IsRefusedWithBothDigests() throws Exception {
        Path archive = officialLayoutArchive("cifar-10-batches-bin/");
        String actual = md5(archive);
        assertThatThrownBy(() -> Cifar10Archive.verifyMd5(archive, Cifar10Archive.OFFICIAL_MD5))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining(actual)
                .hasMessageContaining(Cifar10Archive.OFFICIAL_MD5);
    }

    @Test
    void entryPointingOutsideTheFolderIsRefused() throws Exception {
        Path archive = officialLayoutArchive("cifar-10-batches-bin/../../");
        Path target = tmp.resolve("data").resolve("cifar-10-batches-bin");
        assertThatThrownBy(() -> Cifar10Archive.unpack(archive, target, (stage, done, total) -> {}))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("outside");
        assertThat(target).doesNotExist();
        assertThat(target.resolveSibling("cifar-10-batches-bin.unpacking")).doesNotExist();
    }

    @Test
    void archiveWithoutEveryBatchLeavesTheFolderUntouched() throws Exception {
        Path archive = tmp.resolve("partial.tar.gz");
        writeArchive(archive, List.of("cifar-10-batches-bin/test_batch.bin"), Files.readAllBytes(batchesDir().resolve("test_batch.bin")));
        Path target = tmp.resolve("data").resolve("cifar-10-batches-bin");
        assertThatThrownBy(() -> Cifar10Archive.unpack(archive, target, (stage, done, total) -> {}))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("does not hold every CIFAR-10 batch file");
        assertThat(target).doesNotExist();
        assertThat(target.resolveSibling("cifar-10-batches-bin.unpacking")).doesNotExist();
    }

    @Test
    void completeFolderIsUsedWithoutDownloading() throws Exception {
        Path dir = TestImages.writeCifarBatches(tmp.resolve("ready"), 1);
        assertThat(Cifar10Archive.ensurePresent(dir, (stage, done, total) -> {
            throw new AssertionError("no download expected");
        })).isEqualTo(dir);
    }

    private Path batchesDir() {
        Path dir = tmp.resolve("batches");
        if (!Files.isDirectory(dir)) {
            TestImages.writeCifarBatches(dir, 2);
        }
        return dir;
    }

    private Path officialLayoutArchive(String prefix) throws IOException {
        Path archive = tmp.resolve("cifar-10-binary.tar.gz");
        Path batches = batchesDir();
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file));
             Stream<Path> files = Files.list(batches)) {
            tar.putArchiveEntry(new TarArchiveEntry(prefix));
            tar.closeArchiveEntry();
            for (Path path : files.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(path);
                TarArchiveEntry entry = new TarArchiveEntry(prefix + path.getFileName());
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private static void writeArchive(Path archive, List<String> names, byte[] content) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            for (String name : names) {
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }

    private static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }
}
