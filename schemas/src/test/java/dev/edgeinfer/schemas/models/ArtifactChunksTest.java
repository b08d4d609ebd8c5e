package dev.edgeinfer.schemas.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.ModelChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactChunksTest {

    @TempDir
    Path dir;

    private Path file(int bytes) throws IOException {
        byte[] data = new byte[bytes];
        new Random(7).nextBytes(data);
        return Files.write(dir.resolve("model.bin"), data);
    }

    private static String sha(Path file) throws IOException {
        return HexFormat.of().formatHex(ArtifactChunks.sha256Of(Files.readAllBytes(file)));
    }

    @Test
    void splitsIntoChunksThatReassembleInAnyOrderWithRepeats() throws IOException {
        Path source = file(10_000);
        String sha = sha(source);
        List<ModelChunk> chunks = ArtifactChunks.split(source, sha, 10_000, 4096);
        assertThat(chunks).extracting(ModelChunk::getIndex).containsExactly(0, 1, 2);
        assertThat(chunks).extracting(c -> c.getData().remaining()).containsExactly(4096, 4096, 1808);
        assertThat(chunks).allMatch(c -> c.getCount() == 3 && c.getFileSha256().equals(sha));

        List<ModelChunk> shuffled = new ArrayList<>(chunks);
        shuffled.add(chunks.get(1)); // published twice
        Collections.shuffle(shuffled, new Random(3));
        Path target = dir.resolve("out/model.bin");
        try (FileAssembly assembly = new FileAssembly(target, sha, 10_000)) {
            for (ModelChunk chunk : shuffled) {
                assembly.add(chunk);
            }
            assertThat(assembly.isComplete()).isTrue();
            assembly.complete();
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(source));
        assertThat(ArtifactChunks.matches(target, sha, 10_000)).isTrue();
        assertThat(ArtifactChunks.matches(target, sha, 9_999)).isFalse();
    }

    @Test
    void refusesToSplitAFileThatIsNotTheOneRecorded() throws IOException {
        Path source = file(100);
        assertThatThrownBy(() -> ArtifactChunks.split(source, sha(source), 99, 64)).hasMessageContaining("has 100 bytes");
        assertThatThrownBy(() -> ArtifactChunks.split(source, "00".repeat(32), 100, 64)).hasMessageContaining("has sha256");
    }

    @Test
    void aMissingChunkIsNamedAndNothingIsMovedIntoPlace() throws IOException {
        Path source = file(10_000);
        String sha = sha(source);
        List<ModelChunk> chunks = ArtifactChunks.split(source, sha, 10_000, 4096);
        Path target = dir.resolve("out/model.bin");
        try (FileAssembly assembly = new FileAssembly(target, sha, 10_000)) {
            assembly.add(chunks.get(0));
            assembly.add(chunks.get(2));
            assertThat(assembly.missing()).isEqualTo("{1} of 3");
            assertThatThrownBy(assembly::complete).hasMessageContaining("lacks chunks {1} of 3");
        }
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("out/model.bin.partial")).doesNotExist();
    }

    @Test
    void aChunkWithOtherBytesFailsTheWholeFilesCheck() throws IOException {
        Path source = file(10_000);
        String sha = sha(source);
        List<ModelChunk> chunks = new ArrayList<>(ArtifactChunks.split(source, sha, 10_000, 4096));
        byte[] tampered = new byte[4096];
        chunks.set(1, ModelChunk.newBuilder(chunks.get(1)).setData(ByteBuffer.wrap(tampered)).build());
        Path target = dir.resolve("out/model.bin");
        try (FileAssembly assembly = new FileAssembly(target, sha, 10_000)) {
            for (ModelChunk chunk : chunks) {
                assembly.add(chunk);
            }
            assertThatThrownBy(assembly::complete).hasMessageContaining("its assignment says 10000 bytes, sha256 " + sha);
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void refusesChunksOfAnotherFileOrOutsideIt() throws IOException {
        Path source = file(10_000);
        String sha = sha(source);
        List<ModelChunk> chunks = ArtifactChunks.split(source, sha, 10_000, 4096);
        try (FileAssembly assembly = new FileAssembly(dir.resolve("x.bin"), sha, 10_000)) {
            assertThatThrownBy(() -> assembly.add(ModelChunk.newBuilder(chunks.get(0)).setFileSha256("ab".repeat(32)).build()))
                    .hasMessageContaining("is of file abab");
            assertThatThrownBy(() -> assembly.add(ModelChunk.newBuilder(chunks.get(2)).setOffset(9_000).build()))
                    .hasMessageContaining("does not fit file");
            assembly.add(chunks.get(0));
            assertThatThrownBy(() -> assembly.add(ModelChunk.newBuilder(chunks.get(1)).setCount(4).build()))
                    .hasMessageContaining("does not fit file");
        }
    }
}
