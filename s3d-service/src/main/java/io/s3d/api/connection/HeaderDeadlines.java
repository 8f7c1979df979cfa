package io.s3d.api.connection;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The open connections' {@link HeaderDeadline}s, found by {@link ConnectionKey} when the router sees a
 * request head, and the {@link #acceptor() acceptor} that gives each new connection its deadline.
 */
final class HeaderDeadlines {
    private static final Logger LOG = Logger.getLogger(HeaderDeadlines.class);
    static final String HANDLER_NAME = "s3d-header-deadline";

    private final long timeoutNanos;
    private final Counter timeouts;
    private final Map<String, HeaderDeadline> open = new ConcurrentHashMap<>();
    private final ChannelHandler acceptor = new Acceptor();
    /** Set when this application instance stops (a dev-mode reload keeps the listening socket). */
    private volatile boolean stopped;

    HeaderDeadlines(Duration timeout, Counter timeouts) {
        this.timeoutNanos = timeout.toNanos();
        this.timeouts = timeouts;
    }

    /** A handler for a listening channel's pipeline: puts a fresh deadline first on each accepted connection. */
    ChannelHandler acceptor() {
        return acceptor;
    }

    void headArrived(HttpConnection connection, boolean http2) {
        HeaderDeadline deadline = find(connection);
        if (deadline != null) {
            deadline.headArrived(http2);
        }
    }

    void responseEnded(HttpConnection connection) {
        HeaderDeadline deadline = find(connection);
        if (deadline != null) {
            deadline.responseEnded();
        }
    }

    /** From now on no deadline closes a connection: the next application instance times them. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    void opened(String key, HeaderDeadline deadline) {
        open.put(key, deadline);
    }

    void closed(String key, HeaderDeadline deadline) {
        open.remove(key, deadline);
    }

    void timedOut(SocketAddress client) {
        timeouts.increment();
        LOG.debugf("Closed the connection from %s: no complete request head within %d ms", client,
                Duration.ofNanos(timeoutNanos).toMillis());
    }

    private HeaderDeadline find(HttpConnection connection) {
        String key = ConnectionKey.of(connection.localAddress(), connection.remoteAddress());
        return key == null ? null : open.get(key);
    }

    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof Channel connection) {
                connection.pipeline().addFirst(HANDLER_NAME, new HeaderDeadline(HeaderDeadlines.this));
            }
            super.channelRead(ctx, msg);
        }
    }
}
