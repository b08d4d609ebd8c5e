package dev.edgeinfer.edge.consumer;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An image file read in place from the frame's bytes. ImageIO's own streams over a byte array copy the file (once
 * into the array, once more into their cache): for a frame of 16 MB, 32 MB more of the device's heap.
 */
final class ByteBufferImageInputStream extends ImageInputStreamImpl {

    private final ByteBuffer data;

    /** @param data the file, from its position to its limit; neither is changed */
    ByteBufferImageInputStream(ByteBuffer data) {
        this.data = data.slice();
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= data.limit()) {
            return -1;
        }
        return data.get((int) streamPos++) & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (length == 0) {
            return 0;
        }
        if (streamPos >= data.limit()) {
            return -1;
        }
        int count = (int) Math.min(length, data.limit() - streamPos);
        data.get((int) streamPos, target, offset, count);
        streamPos += count;
        return count;
    }

    @Override
    public long length() {
        return data.limit();
    }
}
