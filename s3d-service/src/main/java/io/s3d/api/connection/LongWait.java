package io.s3d.api.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.function.Consumer;

/**
 * A request that may rightly stay silent longer than the idle timeout (a queue flush waits up to an
 * hour for the remote): its HTTP/1.x connection leaves the idle timeout for the wait and is closed
 * once the answer is sent, so no connection outlives its request without the timeout. The idle
 * handler is Vert.x's, named {@code idle} in the connection's Netty pipeline.
 */
public final class LongWait {
    private static final String IDLE_HANDLER = "idle";

    private LongWait() {
    }

    /**
     * @param whenAnswered registers what to run once the answer is sent (a {@code RoutingContext}'s
     *     {@code addEndHandler}, which keeps the other end handlers, the request's span among them)
     */
    public static void exemptFromIdleTimeout(HttpServerRequest http,
            Consumer<Handler<AsyncResult<Void>>> whenAnswered) {
        if (http.version() == HttpVersion.HTTP_2 || !(http.connection() instanceof ConnectionBase connection)) {
            return;
        }
        Channel channel = connection.channel();
        channel.eventLoop().execute(() -> {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(IDLE_HANDLER) != null) {
                pipeline.remove(IDLE_HANDLER);
            }
        });
        whenAnswered.accept(sent -> http.connection().close());
    }
}
