package dev.edgeinfer.analytics.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The Jetty server the analytics API runs on: its threads, its one connector and the URIs it takes. */
final class JettyServer {

    /**
     * Most threads answering requests. Jetty hands a request to one only once its head has arrived whole, so clients
     * that connect and stall hold none; an answer holds one for at most the forward timeout.
     */
    private static final int MAX_THREADS = 16;
    private static final int MIN_THREADS = 2;
    /** One acceptor and one selector thread serve this API's few hundred connections; Jetty's defaults grow with the cores. */
    private static final int ACCEPTORS = 1;
    private static final int SELECTORS = 1;
    /** Connections the kernel holds before the acceptor takes them. */
    private static final int ACCEPT_QUEUE = 64;
    /** How long stopping the server lets running requests finish ({@link HttpApiServer#close()}). */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Jetty refuses ambiguous paths (an encoded slash or dot segment) by default, because a servlet container may map
     * the decoded path to files. Here {@link ApiRequest} decodes each segment on its own and static pages are looked up
     * by exact path, so an encoded slash in a device id is one key and an encoded {@code ..} is just text (404).
     */
    private static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("edgeinfer-api",
            UriCompliance.AMBIGUOUS_VIOLATIONS.toArray(new UriCompliance.Violation[0]));

    private JettyServer() {
    }

    /** A server not yet started, with one connector bound to {@code bind} that closes connections idle this long. */
    static Server create(InetSocketAddress bind, Duration idleTimeout) {
        Server server = new Server(threadPool());
        server.addConnector(connector(server, bind, idleTimeout));
        return server;
    }

    /** The connector of a server {@link #create} made. */
    static ServerConnector connector(Server server) {
        return (ServerConnector) server.getConnectors()[0];
    }

    private static QueuedThreadPool threadPool() {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("analytics-http");
        // As before with the JDK server: the HTTP threads never keep the JVM alive; AnalyticsService closes the server.
        threads.setDaemon(true);
        threads.setStopTimeout(STOP_TIMEOUT.toMillis());
        return threads;
    }

    private static ServerConnector connector(Server server, InetSocketAddress bind, Duration idleTimeout) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setUriCompliance(URI_COMPLIANCE);
        ServerConnector connector = new ServerConnector(server, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
        if (bind.getAddress() == null) {
            connector.setHost(bind.getHostString());
        } else if (!bind.getAddress().isAnyLocalAddress()) {
            connector.setHost(bind.getAddress().getHostAddress());
        }
        connector.setPort(bind.getPort());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        // Covers both directions: a request head or body that stops arriving, and an answer the client stops reading.
        connector.setIdleTimeout(idleTimeout.toMillis());
        return connector;
    }
}
