package io.s3d.api.connection;

import java.net.InetSocketAddress;

/**
 * Names one TCP connection by its two ends, the same way whether read from the Netty channel or from
 * the Vert.x {@code HttpConnection} a request arrived on (Vert.x builds its addresses from the channel's).
 */
final class ConnectionKey {
    private ConnectionKey() {
    }

    static String of(java.net.SocketAddress local, java.net.SocketAddress remote) {
        if (local instanceof InetSocketAddress l && remote instanceof InetSocketAddress r && l.getAddress() != null
                && r.getAddress() != null) {
            return join(l.getAddress().getHostAddress(), l.getPort(), r.getAddress().getHostAddress(), r.getPort());
        }
        return null;
    }

    static String of(io.vertx.core.net.SocketAddress local, io.vertx.core.net.SocketAddress remote) {
        if (local == null || remote == null || local.hostAddress() == null || remote.hostAddress() == null) {
            return null;
        }
        return join(local.hostAddress(), local.port(), remote.hostAddress(), remote.port());
    }

    private static String join(String localHost, int localPort, String remoteHost, int remotePort) {
        return localHost + "/" + localPort + "<" + remoteHost + "/" + remotePort;
    }
}
