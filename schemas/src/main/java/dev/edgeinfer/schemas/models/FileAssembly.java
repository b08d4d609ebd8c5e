package dev.edgeinfer.schemas.models;

import dev.edgeinfer.avro.ModelChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HexFormat;

/**
 * One artifact file put back together from its chunks, in any order and with repeats (a file published again has its
 * chunks twice on the topic until compaction), straight onto disk beside its final place; {@link #complete()} then
 * checks the whole file's size and sha256 and only then moves it into place. Not thread-safe.
 */
public final class FileAssembly implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private final String sha256;
    private final long bytes;
    private final FileChannel channel;
    private final BitSet received = new BitSet();
    private int count = -1;

    /**
     * @param target where the verified file goes; its folder is created
     * @param sha256 the file's hex SHA-256, as its assignment says
     * @param bytes  the file's size, as its assignment says
     * @throws IOException if the partial file cannot be created
     */
    public FileAssembly(Path target, String sha256, long bytes) throws IOException {
        this.target = target;
        this.sha256 = sha256;
        this.bytes = bytes;
        Files.createDirectories(target.toAbsolutePath().getParent());
        this.partial = target.resolveSibling(target.getFileName() + ".partial");
        this.channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Writes a chunk in its place; a chunk of another file is refused.
     *
     * @return whether every chunk has now arrived
     * @throws IllegalArgumentException if the chunk is of another file, or does not fit the file (count, offset or size)
     * @throws IOException              if writing fails
     */
    public boolean add(ModelChunk chunk) throws IOException {
        if (!chunk.getFileSha256().equalsIgnoreCase(sha256)) {
            throw new IllegalArgumentException("chunk " + chunk.getIndex() + " is of file " + chunk.getFileSha256()
                    + ", not of " + sha256);
        }
        if (count < 0) {
            count = chunk.getCount();
        }
        ByteBuffer data = chunk.getData().duplicate();
        long end = chunk.getOffset() + data.remaining();
        if (chunk.getCount() != count || chunk.getIndex() < 0 || chunk.getIndex() >= count || chunk.getOffset() < 0
                || end > bytes) {
            throw new IllegalArgumentException("chunk " + chunk.getIndex() + " of " + chunk.getCount() + " at byte "
                    + chunk.getOffset() + " (" + data.remaining() + " bytes) does not fit file " + sha256 + " of "
                    + bytes + " bytes in " + count + " chunks");
        }
        long position = chunk.getOffset();
        while (data.hasRemaining()) {
            position += channel.write(data, position);
        }
        received.set(chunk.getIndex());
        return isComplete();
    }

    /** @return whether every chunk has arrived */
    public boolean isComplete() {
        return count > 0 && received.cardinality() == count;
    }

    /** @return the indexes still missing, as text, for an error message */
    public String missing() {
        if (count < 0) {
            return "all (no chunk seen)";
        }
        BitSet missing = new BitSet(count);
        missing.set(0, count);
        missing.andNot(received);
        return missing + " of " + count;
    }

    /**
     * Checks the assembled file's size and sha256 and moves it to its target.
     *
     * @return the target
     * @throws IllegalStateException if a chunk is missing, or the file is not the one its assignment names (the partial
     *                               file is deleted)
     * @throws IOException           if reading or moving fails
     */
    public Path complete() throws IOException {
        if (!isComplete()) {
            throw new IllegalStateException("file " + sha256 + " lacks chunks " + missing());
        }
        channel.force(false);
        long size = channel.size();
        MessageDigest digest = ArtifactChunks.sha256();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = 0;
        while (position < size) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) {
                break;
            }
            position += read;
            digest.update(buffer.flip());
        }
        channel.close();
        String actual = HexFormat.of().formatHex(digest.digest());
        if (size != bytes || !actual.equalsIgnoreCase(sha256)) {
            Files.deleteIfExists(partial);
            throw new IllegalStateException("file " + target.getFileName() + " reassembled from " + count + " chunks has "
                    + size + " bytes and sha256 " + actual + "; its assignment says " + bytes + " bytes, sha256 "
                    + sha256);
        }
        return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Closes the partial file and deletes it, unless {@link #complete()} moved it into place. */
    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(partial);
    }
}
