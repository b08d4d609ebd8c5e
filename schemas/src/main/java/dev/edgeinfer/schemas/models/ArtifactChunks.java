package dev.edgeinfer.schemas.models;

import dev.edgeinfer.avro.ModelChunk;
import dev.edgeinfer.schemas.manifest.ArtifactFile;
import dev.edgeinfer.schemas.manifest.ManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Cuts a model artifact's file into the chunks of the model-chunks topic, and names them: the one definition of the
 * chunk layout, shared by whoever publishes a model and the devices that reassemble it ({@link FileAssembly}).
 */
public final class ArtifactChunks {

    private ArtifactChunks() {
    }

    /**
     * @param fileSha256 the whole file's hex SHA-256
     * @param index      the chunk's position
     * @return the chunk's record key, {@code <file sha256>/<index>}
     */
    public static String key(String fileSha256, int index) {
        return fileSha256 + "/" + index;
    }

    /**
     * Reads a file whole into chunks of at most {@code chunkBytes}, and checks it against the size and sha256 its
     * manifest records, so that nothing but the recorded file is ever published.
     *
     * @param file       the file
     * @param sha256     its recorded hex SHA-256
     * @param bytes      its recorded size
     * @param chunkBytes largest chunk
     * @return the chunks in order; an empty file gives one empty chunk
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not the one recorded
     */
    public static List<ModelChunk> split(Path file, String sha256, long bytes, int chunkBytes) throws IOException {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunk size must be positive, is " + chunkBytes);
        }
        long size = Files.size(file);
        if (size != bytes) {
            throw new IllegalArgumentException(file + " has " + size + " bytes, its manifest records " + bytes);
        }
        int count = (int) Math.max(1, (size + chunkBytes - 1) / chunkBytes);
        List<ModelChunk> chunks = new ArrayList<>(count);
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            for (int index = 0; index < count; index++) {
                byte[] data = in.readNBytes((int) Math.min(chunkBytes, size - (long) index * chunkBytes));
                digest.update(data);
                chunks.add(ModelChunk.newBuilder().setFileSha256(sha256).setIndex(index).setCount(count)
                        .setOffset((long) index * chunkBytes).setData(ByteBuffer.wrap(data)).build());
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new IllegalArgumentException(file + " has sha256 " + actual + ", its manifest records " + sha256);
        }
        return chunks;
    }

    /**
     * @return whether {@code file} exists with the size and hex SHA-256 given
     * @throws IOException if it exists and cannot be read
     */
    public static boolean matches(Path file, String sha256, long bytes) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != bytes) {
            return false;
        }
        try {
            return ArtifactFile.sha256Of(file).equalsIgnoreCase(sha256);
        } catch (ManifestException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** @return the SHA-256 of {@code bytes} */
    public static byte[] sha256Of(byte[] bytes) {
        return sha256().digest(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
