package dev.edgeinfer.analytics.http;

import static dev.edgeinfer.analytics.topology.TestRecords.FP32;
import static dev.edgeinfer.analytics.topology.TestRecords.prediction;
import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.analytics.config.AnalyticsSettings;
import dev.edgeinfer.analytics.query.SingleInstanceDirectory;
import dev.edgeinfer.analytics.topology.AnalyticsTestDriver;
import dev.edgeinfer.schemas.config.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that open a connection, send one byte and stall (a slowloris attack, a half-dead proxy) must neither take
 * the threads the other clients need nor keep their connections: each is closed once it has been idle for
 * {@value AnalyticsSettings#HTTP_IDLE_TIMEOUT}. The same holds for a client that stops reading its answers.
 */
class StalledConnectionsTest {

    static final long BASE = 1_700_000_040_000L;
    /** Far more than the server has threads. */
    private static final int STALLED = 100;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(1);
    /** How long after the idle timeout a stalled connection may still be open: generous, for a busy two-core machine. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(2);
    /** Idle timeouts are checked on a timer; one that fires a little early is still the idle timeout. */
    private static final Duration EARLY_TOLERANCE = Duration.ofMillis(250);
    private static final List<String> PATHS = List.of(HttpApiServer.LIVENESS_PATH, "/api/stats/device-type/" + FP32);

    private AnalyticsTestDriver driver;
    private ApiTestServer api;
    private final List<Socket> stalled = new ArrayList<>();

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.setProperty(AnalyticsSettings.HTTP_IDLE_TIMEOUT, Durations.format(IDLE_TIMEOUT));
        // The idle timeout must be longer than the forward timeout (no request here is forwarded).
        properties.setProperty(AnalyticsSettings.HTTP_FORWARD_TIMEOUT, "1s");
        driver = new AnalyticsTestDriver(AnalyticsSettings.fromProperties(properties), Instant.ofEpochMilli(BASE));
        for (int i = 1; i <= 20; i++) {
            driver.pipe(prediction("f" + i).predicted(3).truth(3).build(), BASE + i);
        }
        api = new ApiTestServer(driver, ApiTestServer.freePort(), SingleInstanceDirectory::new, Optional.empty());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        api.close();
        driver.close();
    }

    @Test
    void stalledConnectionsStarveNoOtherClientAndAreClosedAfterTheIdleTimeout() throws Exception {
        // Warm-up, so that the timings below measure the stalled connections and not class loading.
        for (String path : PATHS) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(200);
        }

        long[] stalledSince = new long[STALLED];
        for (int i = 0; i < STALLED; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.host.port());
            stalled.add(socket);
            socket.getOutputStream().write('G');
            socket.getOutputStream().flush();
            stalledSince[i] = System.nanoTime();
        }
        // Watched from now on, so that how long the other clients take does not shift when a close is seen.
        CompletableFuture<List<Duration>> closes = CompletableFuture.supplyAsync(() -> awaitAllClosed(stalledSince));

        // A client of its own: its first request opens a new connection while the stalled ones are held.
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Duration> latencies = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String path : PATHS) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(api.url(path))).timeout(Duration.ofSeconds(5)).GET().build();
                long begin = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (HttpTimeoutException e) {
                    throw new AssertionError("GET " + path + " got no answer within 5 s while " + STALLED
                            + " connections stalled", e);
                }
                Duration latency = Duration.ofNanos(System.nanoTime() - begin);
                latencies.add(latency);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(latency).as("latency of GET %s while %d connections stall", path, STALLED).isLessThan(ANSWER_LIMIT);
            }
        }

        List<Duration> closedAfter = new ArrayList<>();
        List<String> stillOpen = new ArrayList<>();
        List<Duration> seen = closes.get(IDLE_TIMEOUT.plus(CLOSE_MARGIN).multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        for (int i = 0; i < STALLED; i++) {
            if (seen.get(i) == null) {
                stillOpen.add("#" + i);
            } else {
                closedAfter.add(seen.get(i));
            }
        }
        System.out.printf(Locale.ROOT, "stalled connections: %d; other clients' latencies (ms) %s; stalled connections closed "
                + "after %d to %d ms (idle timeout %d ms)%n", STALLED, latencies.stream().map(Duration::toMillis).toList(),
                closedAfter.stream().mapToLong(Duration::toMillis).min().orElse(-1),
                closedAfter.stream().mapToLong(Duration::toMillis).max().orElse(-1), IDLE_TIMEOUT.toMillis());
        assertThat(stillOpen).as("stalled connections still open %s after their byte", IDLE_TIMEOUT.plus(CLOSE_MARGIN)).isEmpty();
        assertThat(closedAfter).allSatisfy(after -> assertThat(after).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minus(EARLY_TOLERANCE)));
    }

    /**
     * A client that asks and then stops reading: once the answers fill the socket buffers, the server's write waits;
     * after the idle timeout the server gives up on it and closes the connection instead of writing on when the client
     * wakes up.
     */
    @Test
    void aClientThatStopsReadingItsAnswersIsCutOffAfterTheIdleTimeout() throws Exception {
        int answerBytes = api.get("/").body().getBytes(StandardCharsets.UTF_8).length;
        // Pipelined requests whose answers, together, far exceed what the socket buffers of both sides hold (a few MB).
        int requests = 2000;
        Socket reader = new Socket();
        stalled.add(reader);
        reader.setReceiveBufferSize(4096);
        reader.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), api.host.port()));
        byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        OutputStream out = reader.getOutputStream();
        for (int i = 0; i < requests; i++) {
            out.write(request);
        }
        out.flush();
        long stalledSince = System.nanoTime();

        // The client stalls: it reads nothing for longer than the idle timeout.
        Thread.sleep(IDLE_TIMEOUT.plusMillis(500).toMillis());

        long received = 0;
        InputStream in = reader.getInputStream();
        reader.setSoTimeout((int) CLOSE_MARGIN.toMillis());
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received += n;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The connection is still open " + CLOSE_MARGIN + " after the client woke up; "
                    + received + " bytes read", e);
        } catch (SocketException e) {
            // Reset by the server: it closed the connection with requests unread.
        }
        System.out.printf(Locale.ROOT, "stalled reader: %d pipelined requests for %d bytes of answers; %d bytes arrived "
                + "before the server closed the connection, seen %d ms after the requests%n", requests,
                (long) requests * answerBytes, received, Duration.ofNanos(System.nanoTime() - stalledSince).toMillis());
        assertThat(received).as("bytes the server wrote to a client that had stopped reading")
                .isLessThan((long) requests * answerBytes);
    }

    /** For each stalled connection, how long after its byte it was seen closed, or null if it was not. */
    private List<Duration> awaitAllClosed(long[] stalledSince) {
        List<Duration> closedAfter = new ArrayList<>();
        for (int i = 0; i < STALLED; i++) {
            try {
                closedAfter.add(awaitClosed(stalled.get(i), stalledSince[i], IDLE_TIMEOUT.plus(CLOSE_MARGIN)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return closedAfter;
    }

    /**
     * Reads until the server closes the connection (end of stream or reset), whatever it sends before.
     *
     * @return how long after {@code sinceNanos} the connection was seen closed, or null if it is still open after {@code limit}
     */
    private static Duration awaitClosed(Socket socket, long sinceNanos, Duration limit) throws IOException {
        long deadline = sinceNanos + limit.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
            try {
                if (in.read(buffer) < 0) {
                    return Duration.ofNanos(System.nanoTime() - sinceNanos);
                }
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                // Reset by the server: closed as well.
                return Duration.ofNanos(System.nanoTime() - sinceNanos);
            }
        }
    }
}
