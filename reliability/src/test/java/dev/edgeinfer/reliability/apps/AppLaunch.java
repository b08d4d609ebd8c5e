package dev.edgeinfer.reliability.apps;

import dev.edgeinfer.demo.AppProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests that launch the pipeline's apps as processes of their own ({@link AppProcess}) need to know about
 * them: the repository root the apps start from, a free port for an app's HTTP server, the line an edge consumer logs
 * when it is ready, and the summary the producer prints at its end.
 */
public final class AppLaunch {

    /** The line an edge consumer logs once its engine is loaded and its loop is about to poll. */
    private static final Pattern DEVICE_READY = Pattern.compile("device \\S+ of type \\S+ ready");
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("sent (\\d+), acknowledged (\\d+), failed (\\d+)");

    /** The frame counts the producer prints at its end. */
    public record ProducerSummary(long sent, long acknowledged, long failed) {
        /** As the producer printed it. */
        @Override
        public String toString() {
            return "sent " + sent + ", acknowledged " + acknowledged + ", failed " + failed;
        }
    }

    private AppLaunch() {
    }

    /**
     * The repository root: the nearest folder above the working directory that holds {@code models/manifest.json}
     * and the {@code edge-consumer} module, so the modules' build output and the models are found from it.
     *
     * @throws IllegalStateException if no folder above the working directory is the root
     */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("models/manifest.json")) && Files.isDirectory(dir.resolve("edge-consumer"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Repository root (with models/manifest.json) not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * A port free on the loopback interface at the time of the call, for an app's HTTP server.
     *
     * @throws UncheckedIOException if no port could be bound
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /**
     * Waits until an edge consumer has loaded its model and is about to join its group.
     *
     * @throws IllegalStateException if it exits or is not ready within {@code timeout}, with the end of its log
     */
    public static void awaitDeviceReady(AppProcess device, Duration timeout) throws InterruptedException {
        device.awaitLog(DEVICE_READY, timeout);
    }

    /** The summary in the producer's log; empty while the producer has not printed it, or if it never did. */
    public static Optional<ProducerSummary> producerSummary(AppProcess producer) {
        return producer.findInLog(PRODUCER_SUMMARY).map(AppLaunch::summary);
    }

    private static ProducerSummary summary(Matcher line) {
        return new ProducerSummary(Long.parseLong(line.group(1)), Long.parseLong(line.group(2)), Long.parseLong(line.group(3)));
    }
}
