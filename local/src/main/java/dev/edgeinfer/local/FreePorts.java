package dev.edgeinfer.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Picks free loopback ports for servers that must be told their port before they bind it. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns {@code count} distinct ports that were free a moment ago.
     *
     * <p>The sockets are held open together so the ports differ, then released for the servers to bind. Another
     * process could take one in between; the operating system hands out ephemeral ports in rotation, which makes
     * that rare, and the server's bind error then names the port.
     *
     * @throws LocalStackException if no port can be bound
     */
    static List<Integer> allocate(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new LocalStackException("Cannot find " + count + " free loopback port(s)", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new LocalStackException("Cannot release probe port " + socket.getLocalPort(), e);
                }
            }
        }
    }
}
