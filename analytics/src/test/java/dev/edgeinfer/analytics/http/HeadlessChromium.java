package dev.edgeinfer.analytics.http;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Renders a page in headless Chromium (Debian's package), for the tests that check what the dashboard shows. */
final class HeadlessChromium {

    private final Path executable;
    private final Path profile;

    private HeadlessChromium(Path executable, Path profile) {
        this.executable = executable;
        this.profile = profile;
    }

    /** Chromium from the PATH with its files under {@code profile}; the test is skipped where there is none. */
    static HeadlessChromium require(Path profile) {
        Optional<Path> executable = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
        Assumptions.assumeTrue(executable.isPresent(),
                "No Chromium executable (chromium, chromium-browser) found: install Debian's package with "
                        + "'apt-get install -y chromium' to run this test");
        return new HeadlessChromium(executable.get(), profile);
    }

    /** The page's DOM once its scripts have run (up to 15 s of virtual time). */
    String dumpDom(String url) throws IOException, InterruptedException {
        Path out = profile.resolve("dom.html");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.resolve("user-data"),
                "--virtual-time-budget=15000", "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(log().toFile()).start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 240 s; its log:\n" + Files.readString(log()));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Chromium's own output of the last {@link #dumpDom}, for failure messages. */
    Path log() {
        return profile.resolve("chromium.log");
    }
}
