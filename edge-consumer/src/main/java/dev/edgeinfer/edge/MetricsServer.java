package dev.edgeinfer.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves {@code GET /metrics} in the Prometheus text format, on Jetty: a request gets one of a few worker threads only
 * once its head has arrived, so clients that connect and stall hold none, and a connection idle for
 * {@link #IDLE_TIMEOUT} (a request that stops arriving, an answer nobody reads) is closed.
 */
final class MetricsServer implements AutoCloseable {

    /** How long a connection may send and read nothing before it is closed. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Workers for scrapes (Jetty's acceptor and selector take two more): a device is scraped by one or two servers. */
    private static final int MAX_THREADS = 6;

    private final Server server;
    private final ServerConnector connector;

    private MetricsServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static MetricsServer start(int port, PrometheusMeterRegistry registry) {
        return start(port, registry, IDLE_TIMEOUT);
    }

    /**
     * @throws UncheckedIOException if the port cannot be bound
     */
    static MetricsServer start(int port, PrometheusMeterRegistry registry, Duration idleTimeout) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 3);
        threads.setName("metrics-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"/metrics".equals(Request.getPathInContext(request))) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                } else if (!"GET".equals(request.getMethod())) {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET");
                    Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                } else {
                    byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROMETHEUS_TEXT);
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                    response.write(true, ByteBuffer.wrap(body), callback);
                }
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot open the metrics endpoint on port " + port, io);
            }
            throw new IllegalStateException("Cannot start the metrics endpoint on port " + port, e);
        }
        return new MetricsServer(server, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the metrics endpoint", e);
        }
    }
}
