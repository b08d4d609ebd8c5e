package dev.edgeinfer.reliability.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder on loopback in front of the schema registry, so that a test can take the registry off the network
 * without stopping it: {@link #cut()} closes the listening socket and every open connection (clients get "connection
 * refused" or a reset, as when a registry host goes away); {@link #restore()} listens on the same port again.
 */
final class RegistryProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryProxy.class);

    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new ArrayList<>();
    private ServerSocket listener;

    private RegistryProxy(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        this.port = listener.getLocalPort();
    }

    /** Starts forwarding a free loopback port to {@code target}. */
    static RegistryProxy start(InetSocketAddress target) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        RegistryProxy proxy = new RegistryProxy(target, listener);
        proxy.accept(listener);
        return proxy;
    }

    /** {@code url} with its host and port replaced by the proxy's. */
    String proxied(String url) {
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://127.0.0.1:" + port + uri.getRawPath();
    }

    int port() {
        return port;
    }

    /** Takes the registry off the network: no new connection is accepted and every open one is closed. */
    synchronized void cut() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
        log.info("Registry proxy on port {} cut", port);
    }

    /** Accepts connections on the same port again. */
    synchronized void restore() throws IOException {
        ServerSocket again = new ServerSocket();
        again.setReuseAddress(true);
        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = again;
        accept(again);
        log.info("Registry proxy on port {} restored", port);
    }

    private void accept(ServerSocket socket) {
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    forward(socket.accept());
                } catch (SocketException e) {
                    log.debug("Registry proxy listener closed: {}", e.toString());
                } catch (IOException e) {
                    log.warn("Registry proxy on port {} failed to accept a connection", port, e);
                }
            }
        }, "registry-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void forward(Socket client) throws IOException {
        Socket upstream;
        try {
            upstream = new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
            client.close();
            throw e;
        }
        synchronized (this) {
            if (listener.isClosed()) {
                client.close();
                upstream.close();
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
    }

    /** Copies one direction until either side closes, then closes both. */
    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                log.debug("Registry proxy connection ended: {}", e.toString());
            } finally {
                close(from);
                close(to);
            }
        }, "registry-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            log.warn("Closing a proxied connection on port {} failed", port, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        cut();
    }
}
