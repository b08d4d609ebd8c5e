package dev.edgeinfer.producer.source;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which images to publish, as given to {@code --source}: {@code cifar10:test}, {@code cifar10:train},
 * {@code dir:<folder>} or {@code files:<list file>}.
 *
 * @param kind  the kind of source
 * @param split the CIFAR-10 split, for {@link Kind#CIFAR10}
 * @param path  the folder or list file, for the file kinds
 */
public record SourceSpec(Kind kind, Cifar10Source.Split split, Path path) {

    /** Kinds of source. */
    public enum Kind { CIFAR10, DIRECTORY, FILE_LIST }

    /**
     * Parses the {@code --source} text.
     *
     * @throws IllegalArgumentException if it is none of the forms above
     */
    public static SourceSpec parse(String text) {
        int colon = text.indexOf(':');
        String prefix = colon < 0 ? text : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        switch (prefix) {
            case "cifar10":
                return switch (rest.toLowerCase(Locale.ROOT)) {
                    case "test" -> new SourceSpec(Kind.CIFAR10, Cifar10Source.Split.TEST, null);
                    case "train" -> new SourceSpec(Kind.CIFAR10, Cifar10Source.Split.TRAIN, null);
                    default -> throw new IllegalArgumentException("CIFAR-10 split must be test or train: " + text);
                };
            case "dir":
                return new SourceSpec(Kind.DIRECTORY, null, requirePath(rest, text));
            case "files":
                return new SourceSpec(Kind.FILE_LIST, null, requirePath(rest, text));
            default:
                throw new IllegalArgumentException(
                        "source must be cifar10:test, cifar10:train, dir:<folder> or files:<list file>: " + text);
        }
    }

    private static Path requirePath(String rest, String text) {
        if (rest.isBlank()) {
            throw new IllegalArgumentException("source needs a path after the colon: " + text);
        }
        return Path.of(rest);
    }

    /**
     * Opens the source. CIFAR-10 is read from {@code cifar10Dir}, downloaded there first if it is not complete.
     *
     * @throws SourceException if the source cannot be opened
     * @throws InterruptedException if interrupted while downloading CIFAR-10
     */
    public ImageSource open(Path cifar10Dir, ImageSize expectedSize, Cifar10Archive.Progress downloadProgress)
            throws InterruptedException {
        return switch (kind) {
            case CIFAR10 -> Cifar10Source.open(Cifar10Archive.ensurePresent(cifar10Dir, downloadProgress), split);
            case DIRECTORY -> FileImageSource.fromDirectory(path, expectedSize);
            case FILE_LIST -> FileImageSource.fromListFile(path, expectedSize);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CIFAR10 -> "cifar10:" + split.name().toLowerCase(Locale.ROOT);
            case DIRECTORY -> "dir:" + path;
            case FILE_LIST -> "files:" + path;
        };
    }
}
