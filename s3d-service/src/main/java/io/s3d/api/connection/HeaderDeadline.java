package io.s3d.api.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's request-head deadline, first in its Netty pipeline so that it sees every read. The
 * clock starts when the connection opens, and again at the first bytes after the connection went idle
 * (every response sent): if no complete request head has reached the router by then, the connection is
 * closed. Waiting idle between requests is not timed here — that is the idle timeout's job — so a
 * keep-alive connection is not cut short, while a client dripping header bytes (which resets any idle
 * timer) is. State is touched on the connection's event loop only.
 */
final class HeaderDeadline extends ChannelInboundHandlerAdapter {
    private final HeaderDeadlines deadlines;
    private ChannelHandlerContext context;
    private String key;
    private ScheduledFuture<?> timer;
    /** Requests whose head arrived and whose response has not ended (more than one with HTTP/2). */
    private int requestsInFlight;
    /**
     * HTTP/2: bytes between requests are often control frames (window updates, pings) rather than a
     * request head, so once the connection has carried a request only the idle timeout applies.
     */
    private boolean multiplexed;

    HeaderDeadline(HeaderDeadlines deadlines) {
        this.deadlines = deadlines;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        key = ConnectionKey.of(ctx.channel().localAddress(), ctx.channel().remoteAddress());
        if (key == null) {
            // Not TCP (a Unix domain socket): requests could not be matched to it, so it is not timed.
            ctx.pipeline().remove(this);
        } else {
            deadlines.opened(key, this);
            start();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (requestsInFlight == 0 && timer == null && !multiplexed) {
            start();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        if (key != null) {
            deadlines.closed(key, this);
        }
        super.channelInactive(ctx);
    }

    /** The router got a request head on this connection ({@code http2}: as an HTTP/2 stream). */
    void headArrived(boolean http2) {
        onLoop(() -> {
            multiplexed |= http2;
            requestsInFlight++;
            stop();
        });
    }

    /** A response on this connection ended (or its request failed). */
    void responseEnded() {
        onLoop(() -> requestsInFlight = Math.max(0, requestsInFlight - 1));
    }

    private void start() {
        timer = context.executor().schedule(this::expire, deadlines.timeoutNanos(), TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (requestsInFlight == 0 && context.channel().isActive() && !deadlines.stopped()) {
            deadlines.timedOut(context.channel().remoteAddress());
            context.close();
        }
    }

    private void onLoop(Runnable change) {
        if (context.executor().inEventLoop()) {
            change.run();
        } else {
            context.executor().execute(change);
        }
    }
}
