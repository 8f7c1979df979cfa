package io.s3d.bench.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback TCP throughput: one connection, 256 KiB writes, for a fixed time. */
public final class LoopbackLimit {
    private LoopbackLimit() {
    }

    /** Streams over one loopback connection for {@code duration}; returns MB/s received. */
    public static double throughput(Duration duration) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long[] received = new long[1];
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[256 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        received[0] += n;
                    }
                } catch (IOException e) {
                    // counted what arrived
                }
            });
            long t0;
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[256 * 1024];
                t0 = System.nanoTime();
                long deadline = t0 + duration.toNanos();
                while (System.nanoTime() < deadline) {
                    out.write(buf);
                }
            }
            reader.join();
            return received[0] / ((System.nanoTime() - t0) / 1e9) / 1e6;
        }
    }
}
