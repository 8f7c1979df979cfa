package io.s3d;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A body that gives its first {@code gateAt} bytes, then waits until {@link #open()} before the
 * rest: a client sending slowly, to overlap a request with others for real.
 */
public final class GatedStream extends InputStream {
    private final byte[] data;
    private final int gateAt;
    private final CountDownLatch reached;
    private final CountDownLatch gate;
    private int position;

    public GatedStream(byte[] data, int gateAt, CountDownLatch reached, CountDownLatch gate) {
        this.data = data;
        this.gateAt = gateAt;
        this.reached = reached;
        this.gate = gate;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position == gateAt) {
            reached.countDown();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        if (position >= data.length) {
            return -1;
        }
        int limit = position < gateAt ? gateAt : data.length;
        int n = Math.min(len, limit - position);
        System.arraycopy(data, position, b, off, n);
        position += n;
        return n;
    }
}
