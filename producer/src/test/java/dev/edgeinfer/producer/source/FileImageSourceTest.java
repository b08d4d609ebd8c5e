package dev.edgeinfer.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgeinfer.avro.PixelEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImageSourceTest {

    @TempDir
    Path dir;

    @Test
    void folderGivesFilesInNameOrderWithLabelsFromClassFolders() throws Exception {
        TestImages.writeImage(dir.resolve("cat/0001.png"), "png", 32, 32);
        TestImages.writeImage(dir.resolve("Dog/0002.JPG"), "jpg", 32, 32);
        TestImages.writeImage(dir.resolve("misc/0003.png"), "png", 32, 32);
        TestImages.writeImage(dir.resolve("top.jpeg"), "jpg", 32, 32);
        Files.writeString(dir.resolve("README.txt"), "not an image");

        try (FileImageSource source = FileImageSource.fromDirectory(dir, ImageSize.CIFAR10)) {
            assertThat(source.size()).isEqualTo(4);
            assertThat(source.files()).extracting(ImageFile::name)
                    .containsExactly("Dog/0002.JPG", "cat/0001.png", "misc/0003.png", "top.jpeg");

            SourceImage dog = source.read(0);
            assertThat(dog.encoding()).isEqualTo(PixelEncoding.JPEG);
            assertThat(dog.groundTruth()).isEqualTo(5);
            assertThat(dog.labelSet()).isEqualTo("cifar-10");
            assertThat(dog.fileName()).isEqualTo("Dog/0002.JPG");
            assertThat(dog.dataset()).isNull();

            SourceImage cat = source.read(1);
            assertThat(cat.encoding()).isEqualTo(PixelEncoding.PNG);
            assertThat(cat.groundTruth()).isEqualTo(3);
            assertThat(cat.pixels()).as("the file's own bytes are sent")
                    .isEqualTo(Files.readAllBytes(dir.resolve("cat/0001.png")));
            assertThat(cat.width()).isEqualTo(32);
            assertThat(cat.height()).isEqualTo(32);
            assertThat(cat.channels()).isEqualTo(3);

            assertThat(source.read(2).groundTruth()).as("misc is no class").isNull();
            assertThat(source.read(2).labelSet()).isNull();
            assertThat(source.read(3).groundTruth()).isNull();
        }
    }

    @Test
    void badFilesAreReportedWithTheirNames() throws Exception {
        TestImages.writeImage(dir.resolve("big.png"), "png", 64, 48);
        TestImages.writeGrayPng(dir.resolve("gray.png"), 32, 32);
        Files.writeString(dir.resolve("text.png"), "hello");
        byte[] png = Files.readAllBytes(TestImages.writeImage(dir.resolve("whole.png"), "png", 32, 32));
        Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));

        try (FileImageSource source = FileImageSource.fromDirectory(dir, ImageSize.CIFAR10)) {
            assertThat(source.files()).extracting(ImageFile::name)
                    .containsExactly("big.png", "gray.png", "text.png", "truncated.png", "whole.png");
            assertThatThrownBy(() -> source.read(0)).isInstanceOf(BadImageException.class)
                    .hasMessage("big.png: is 64x48 pixels; expected 32x32 (see --image-size)");
            assertThatThrownBy(() -> source.read(1)).isInstanceOf(BadImageException.class)
                    .hasMessageStartingWith("gray.png: has 1 colour channel(s)");
            assertThatThrownBy(() -> source.read(2)).isInstanceOf(BadImageException.class)
                    .hasMessageStartingWith("text.png: neither a PNG nor a JPEG");
            assertThatThrownBy(() -> source.read(3)).isInstanceOf(BadImageException.class)
                    .hasMessageStartingWith("truncated.png: the PNG data does not decode");
            assertThat(source.read(4).width()).isEqualTo(32);
        }
        try (FileImageSource any = FileImageSource.fromDirectory(dir, ImageSize.ANY)) {
            assertThat(any.read(0).width()).isEqualTo(64);
            assertThat(any.read(0).height()).isEqualTo(48);
        }
    }

    @Test
    void unreadableFileIsABadImage() throws Exception {
        Path list = dir.resolve("frames.txt");
        Files.writeString(list, "missing.png\n");
        try (FileImageSource source = FileImageSource.fromListFile(list, ImageSize.CIFAR10)) {
            assertThatThrownBy(() -> source.read(0)).isInstanceOf(BadImageException.class)
                    .hasMessageStartingWith("missing.png: cannot read the file");
        }
    }

    @Test
    void listFileNamesFilesRelativeToItselfWithOptionalLabels() throws Exception {
        TestImages.writeImage(dir.resolve("images/a.png"), "png", 32, 32);
        TestImages.writeImage(dir.resolve("images/b.jpg"), "jpg", 32, 32);
        Path absolute = TestImages.writeImage(dir.resolve("elsewhere/c.png"), "png", 32, 32).toAbsolutePath();
        Path list = dir.resolve("frames.txt");
        Files.writeString(list, String.join("\n",
                "# frames to replay",
                "images/a.png  ship",
                "",
                "images/b.jpg\t9",
                absolute.toString(),
                "images/a.png unicorn"));

        try (FileImageSource source = FileImageSource.fromListFile(list, ImageSize.CIFAR10)) {
            assertThat(source.size()).isEqualTo(4);
            assertThat(source.read(0).groundTruth()).isEqualTo(8);
            assertThat(source.read(0).fileName()).isEqualTo("images/a.png");
            assertThat(source.read(1).groundTruth()).isEqualTo(9);
            assertThat(source.read(2).groundTruth()).isNull();
            assertThatThrownBy(() -> source.read(3)).isInstanceOf(BadImageException.class)
                    .hasMessageContaining("images/a.png: label 'unicorn' (frames.txt:6) is not a CIFAR-10 class");
        }
    }

    @Test
    void emptyFolderOrListFailsToOpen() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> FileImageSource.fromDirectory(dir.resolve("empty"), ImageSize.ANY))
                .isInstanceOf(SourceException.class).hasMessageContaining("holds no .png");
        assertThatThrownBy(() -> FileImageSource.fromDirectory(dir.resolve("absent"), ImageSize.ANY))
                .isInstanceOf(SourceException.class).hasMessageContaining("absent");
        Path list = Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
        assertThatThrownBy(() -> FileImageSource.fromListFile(list, ImageSize.ANY))
                .isInstanceOf(SourceException.class).hasMessageContaining("names no file");
    }

    @Test
    void sourceSpecParsesEveryForm() {
        assertThat(SourceSpec.parse("cifar10:test").split()).isEqualTo(Cifar10Source.Split.TEST);
        assertThat(SourceSpec.parse("cifar10:TRAIN").split()).isEqualTo(Cifar10Source.Split.TRAIN);
        assertThat(SourceSpec.parse("dir:some/folder").path()).isEqualTo(Path.of("some/folder"));
        assertThat(SourceSpec.parse("files:list.txt").kind()).isEqualTo(SourceSpec.Kind.FILE_LIST);
        assertThatThrownBy(() -> SourceSpec.parse("cifar10:valid")).hasMessageContaining("test or train");
        assertThatThrownBy(() -> SourceSpec.parse("dir:")).hasMessageContaining("needs a path");
        assertThatThrownBy(() -> SourceSpec.parse("http://x")).hasMessageContaining("source must be");
        assertThat(ImageSize.parse("64x48")).isEqualTo(new ImageSize(64, 48));
        assertThat(ImageSize.parse("any")).isEqualTo(ImageSize.ANY);
        assertThatThrownBy(() -> ImageSize.parse("32")).isInstanceOf(IllegalArgumentException.class);
    }
}
