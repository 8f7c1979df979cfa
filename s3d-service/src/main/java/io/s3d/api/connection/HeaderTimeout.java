package io.s3d.api.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ServerChannel;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.s3d.config.S3dConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The request-header read timeout ({@code s3d.connections.header-timeout}), like Go's
 * {@code ReadHeaderTimeout} or nginx's {@code client_header_timeout}: a connection that has not
 * delivered a complete request head within the timeout of opening (or of its next bytes after a
 * response) is closed, so a slowloris client dripping header bytes cannot hold connections. The idle
 * timeout alone cannot do this, since every byte resets it. See docs/security.md.
 */
@ApplicationScoped
public class HeaderTimeout {
    private static final Logger LOG = Logger.getLogger(HeaderTimeout.class);
    private static final String ACCEPTOR_NAME = "s3d-header-deadline-acceptor";

    private final HeaderDeadlines deadlines;
    private final Vertx vertx;

    @Inject
    HeaderTimeout(S3dConfig config, MeterRegistry registry, Vertx vertx) {
        Duration timeout = config.connections().headerTimeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("s3d.connections.header-timeout (S3D_CONNECTIONS_HEADER_TIMEOUT) must "
                    + "be positive (such as 20s), not " + timeout.toString().substring(2).toLowerCase());
        }
        this.vertx = vertx;
        this.deadlines = new HeaderDeadlines(timeout, Counter.builder("s3d.connections.header_timeouts")
                .description("Connections closed for not sending a complete request head in time").register(registry));
    }

    /**
     * Ahead of every other route (and so observed first): a request the router sees has a complete
     * head, even one a later route refuses at once.
     */
    void register(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::headArrived);
    }

    void guardHttp(@ObservesAsync HttpServerStart started) {
        guard(started.options().getPort());
    }

    void guardHttps(@ObservesAsync HttpsServerStart started) {
        guard(started.options().getPort());
    }

    /**
     * Once Quarkus listens (its start events are the first moment the listening socket exists; they
     * are asynchronous, so connections accepted in the few milliseconds before are not timed), every
     * connection accepted from now on gets its deadline. If the listening channel cannot be found, s3d
     * stops: running without the timeout the operator set would be a silent hole.
     */
    synchronized void guard(int port) {
        try {
            List<ServerChannel> listening = ListeningChannels.of(vertx);
            install(listening);
            boolean found = false;
            for (ServerChannel channel : listening) {
                found |= port <= 0 || channel.localAddress() instanceof InetSocketAddress local && local.getPort() == port;
            }
            if (!found) {
                throw new IllegalStateException("s3d.connections.header-timeout (S3D_CONNECTIONS_HEADER_TIMEOUT) cannot be "
                        + "applied: no listening channel for port " + port + " among " + listening);
            }
            LOG.debugf("Request-head deadline on %s", listening);
        } catch (RuntimeException e) {
            LOG.error("Stopping: " + e.getMessage(), e);
            Quarkus.asyncExit(1);
        }
    }

    /**
     * A dev-mode reload starts a new application on the socket Quarkus kept listening, without new
     * server start events: take over its connections here. (On a first start nothing listens yet.)
     */
    synchronized void takeOver(@Observes StartupEvent event) {
        install(ListeningChannels.of(vertx));
    }

    /** This application instance's deadlines stop closing connections; the acceptor leaves the socket. */
    synchronized void stop(@Observes ShutdownEvent event) {
        deadlines.stop();
        try {
            for (ServerChannel channel : ListeningChannels.of(vertx)) {
                if (channel.pipeline().get(ACCEPTOR_NAME) == deadlines.acceptor()) {
                    channel.pipeline().remove(ACCEPTOR_NAME);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Header deadline acceptor left in place at shutdown", e);
        }
    }

    private void install(List<ServerChannel> listening) {
        for (ServerChannel channel : listening) {
            ChannelHandler current = channel.pipeline().get(ACCEPTOR_NAME);
            if (current == null) {
                channel.pipeline().addFirst(ACCEPTOR_NAME, deadlines.acceptor());
            } else if (current != deadlines.acceptor()) {
                channel.pipeline().replace(ACCEPTOR_NAME, ACCEPTOR_NAME, deadlines.acceptor());
            }
        }
    }

    private void headArrived(RoutingContext context) {
        HttpConnection connection = context.request().connection();
        deadlines.headArrived(connection, context.request().version() == HttpVersion.HTTP_2);
        context.addEndHandler(ended -> deadlines.responseEnded(connection));
        context.next();
    }
}
