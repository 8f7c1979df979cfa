package io.s3d.api.connection;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets of Quarkus's HTTP servers, as Netty channels. The one place s3d reads Vert.x
 * internals: neither Vert.x 4.5 nor Quarkus offers a hook that sees a connection before its first
 * request (Quarkus owns {@code HttpServer.connectionHandler} for {@code max-connections}, and
 * {@code HttpServerOptions} carries no code), so the header deadline is attached where Netty accepts
 * connections. If a Vert.x upgrade moves these internals, {@link #of} throws and s3d does not start
 * rather than run without the deadline.
 */
final class ListeningChannels {
    private ListeningChannels() {
    }

    /** The bound server channels of every Vert.x HTTP server of this Vert.x instance. */
    static List<ServerChannel> of(Vertx vertx) {
        Field bindFuture;
        try {
            bindFuture = TCPServerBase.class.getDeclaredField("bindFuture");
            bindFuture.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unsupported(e);
        }
        List<ServerChannel> channels = new ArrayList<>();
        for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            Object bound;
            try {
                bound = bindFuture.get(server);
            } catch (ReflectiveOperationException e) {
                throw unsupported(e);
            }
            if (!(bound instanceof Future<?> future)) {
                throw unsupported(null);
            }
            if (future.succeeded() && future.result() instanceof Channel channel) {
                if (!(channel instanceof ServerChannel serverChannel)) {
                    throw unsupported(null);
                }
                channels.add(serverChannel);
            }
        }
        return channels;
    }

    private static IllegalStateException unsupported(Exception cause) {
        return new IllegalStateException("s3d.connections.header-timeout (S3D_CONNECTIONS_HEADER_TIMEOUT) cannot be "
                + "applied: this Vert.x (" + io.vertx.core.impl.launcher.commands.VersionCommand.getVersion()
                + ") no longer keeps its listening channel in TCPServerBase.bindFuture", cause);
    }
}
