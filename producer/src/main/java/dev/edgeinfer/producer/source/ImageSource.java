package dev.edgeinfer.producer.source;

/**
 * A finite, indexable set of images: a data set split, a folder, a list of files. Indexing lets the publisher shuffle
 * and loop without holding every image in memory.
 */
public interface ImageSource extends AutoCloseable {

    /** What this source is, for logs and the summary, e.g. {@code cifar-10/test (10000 images)}. */
    String description();

    /** Number of images. */
    int size();

    /**
     * Reads and checks one image.
     *
     * @param index zero-based, below {@link #size()}
     * @throws BadImageException if this image cannot be published; the message names the file or record
     */
    SourceImage read(int index) throws BadImageException;

    @Override
    void close();
}
