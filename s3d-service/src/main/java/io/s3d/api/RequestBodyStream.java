package io.s3d.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of a Vert.x request as a blocking stream for the handler's virtual thread. The event
 * loop hands over buffers; at most {@link #WINDOW} buffers are requested ahead, so a slow disk
 * slows the client down (TCP backpressure) instead of filling the heap.
 */
final class RequestBodyStream extends InputStream {
    private static final int WINDOW = 16;
    private final HttpServerRequest request;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private boolean ended;
    private Throwable failure;
    private boolean started;
    private Buffer current;
    private int position;

    private RequestBodyStream(HttpServerRequest request) {
        this.request = request;
    }

    /** Pauses the request and collects its body from here on; call on the event loop. */
    static RequestBodyStream attach(HttpServerRequest request) {
        RequestBodyStream stream = new RequestBodyStream(request);
        request.pause();
        request.handler(stream::onData);
        request.endHandler(v -> stream.onEnd());
        request.exceptionHandler(stream::onFailure);
        return stream;
    }

    private void onData(Buffer buffer) {
        lock.lock();
        try {
            queue.add(buffer);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onEnd() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onFailure(Throwable error) {
        lock.lock();
        try {
            failure = error;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once the whole body has been received (or there was none). */
    boolean isFullyRead() {
        lock.lock();
        try {
            return ended && queue.isEmpty() && (current == null || position >= current.length());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (current == null || position >= current.length()) {
            current = next();
            position = 0;
            if (current == null) {
                return -1;
            }
        }
        int n = Math.min(length, current.length() - position);
        current.getBytes(position, position + n, target, offset);
        position += n;
        return n;
    }

    private Buffer next() throws IOException {
        lock.lock();
        try {
            if (!started) {
                started = true;
                request.fetch(WINDOW);
            }
            while (true) {
                Buffer buffer = queue.poll();
                if (buffer != null) {
                    request.fetch(1);
                    if (buffer.length() == 0) {
                        continue;
                    }
                    return buffer;
                }
                if (failure != null) {
                    throw new IOException("request body failed: " + failure.getMessage(), failure);
                }
                if (ended) {
                    return null;
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the request body", e);
        } finally {
            lock.unlock();
        }
    }
}
