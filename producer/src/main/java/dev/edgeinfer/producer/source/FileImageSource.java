package dev.edgeinfer.producer.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PNG and JPEG files, from a folder or from a list file, published as their own bytes.
 *
 * <p>Folder: every {@code .png}, {@code .jpg} and {@code .jpeg} file below it, in name order; the label is the
 * CIFAR-10 class named by the file's parent folder ({@code cat/0001.png}), none when the folder names no class.
 *
 * <p>List file: one file per line, relative to the list's folder or absolute, optionally followed by whitespace and
 * a CIFAR-10 class name or index; blank lines and lines starting with {@code #} are ignored. A label that names no
 * class makes that line a bad image, reported like an unreadable file.
 */
public final class FileImageSource implements ImageSource {

    private static final Logger log = LoggerFactory.getLogger(FileImageSource.class);

    private final String description;
    private final List<ImageFile> files;
    private final ImageSize expectedSize;

    FileImageSource(String description, List<ImageFile> files, ImageSize expectedSize) {
        this.description = description + " (" + files.size() + " files)";
        this.files = List.copyOf(files);
        this.expectedSize = expectedSize;
    }

    /**
     * The image files below {@code dir}.
     *
     * @throws SourceException if the folder cannot be listed or holds no image file
     */
    public static FileImageSource fromDirectory(Path dir, ImageSize expectedSize) {
        List<ImageFile> files = new ArrayList<>();
        int ignored = 0;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile).sorted()::iterator) {
                if (!isImageName(path)) {
                    ignored++;
                    continue;
                }
                Path relative = dir.relativize(path);
                files.add(new ImageFile(path, relative.toString().replace('\\', '/'), labelOfFolder(relative), null));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SourceException("Cannot list image folder " + dir + ": " + e, e);
        }
        if (ignored > 0) {
            log.info("Ignoring {} file(s) in {} that are not named .png, .jpg or .jpeg", ignored, dir);
        }
        if (files.isEmpty()) {
            throw new SourceException("Image folder " + dir + " holds no .png, .jpg or .jpeg file");
        }
        return new FileImageSource("folder " + dir, files, expectedSize);
    }

    /**
     * The files named in {@code listFile}.
     *
     * @throws SourceException if the list cannot be read or names no file
     */
    public static FileImageSource fromListFile(Path listFile, ImageSize expectedSize) {
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SourceException("Cannot read list file " + listFile + ": " + e, e);
        }
        Path base = listFile.toAbsolutePath().getParent();
        List<ImageFile> files = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            files.add(parseLine(base, listFile.getFileName() + ":" + (i + 1), line));
        }
        if (files.isEmpty()) {
            throw new SourceException("List file " + listFile + " names no file");
        }
        return new FileImageSource("list " + listFile, files, expectedSize);
    }

    private static ImageFile parseLine(Path base, String lineRef, String line) {
        String[] parts = line.split("\\s+", 2);
        String name = parts[0];
        Path path = base.resolve(name);
        if (parts.length == 1) {
            return new ImageFile(path, name, null, null);
        }
        OptionalInt label = Cifar10Labels.indexOf(parts[1]);
        if (label.isEmpty()) {
            return new ImageFile(path, name, null, "label '" + parts[1].strip() + "' (" + lineRef
                    + ") is not a CIFAR-10 class; expected one of " + Cifar10Labels.CLASSES + " or 0-9");
        }
        return new ImageFile(path, name, label.getAsInt(), null);
    }

    private static boolean isImageName(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    private static Integer labelOfFolder(Path relative) {
        Path parent = relative.getParent();
        if (parent == null) {
            return null;
        }
        OptionalInt label = Cifar10Labels.indexOf(parent.getFileName().toString());
        // A folder named "3" is a folder, not necessarily class 3: only class names count here.
        return label.isPresent() && !parent.getFileName().toString().strip().matches("\\d+") ? label.getAsInt() : null;
    }

    /** The entries of this source, in order. */
    public List<ImageFile> files() {
        return files;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public SourceImage read(int index) throws BadImageException {
        return files.get(index).read(expectedSize);
    }

    @Override
    public void close() {
    }
}
