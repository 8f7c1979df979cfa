package io.s3d.bench.wan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Checks the emulated link with generous bounds: the machine is shared, so the tests assert that an
 * effect is there and of the right order, never a tight number.
 */
@Timeout(30)
class WanProxyTest {

    private ServerSocket echo;
    private WanProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofPlatform().daemon().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = WanProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    /** Echoes what it reads; a first byte 'S' means "send N bytes" where N follows as 8 bytes. */
    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (buf[0] == 'S' && n >= 9) {
                    long count = java.nio.ByteBuffer.wrap(buf, 1, 8).getLong();
                    byte[] block = new byte[65536];
                    for (long sent = 0; sent < count; sent += block.length) {
                        out.write(block, 0, (int) Math.min(block.length, count - sent));
                    }
                    out.flush();
                } else {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // peer gone
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        return s;
    }

    private static long roundTripMillis(Socket s) throws IOException {
        byte[] msg = "ping".getBytes();
        long t0 = System.nanoTime();
        s.getOutputStream().write(msg);
        byte[] back = s.getInputStream().readNBytes(msg.length);
        assertArrayEquals(msg, back);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void passesBytesThroughAndCountsThem() throws IOException {
        try (Socket s = connect()) {
            roundTripMillis(s);
        }
        assertEquals(4, proxy.bytesUp());
        assertEquals(4, proxy.bytesDown());
    }

    @Test
    void addsLatencyPerDirection() throws IOException {
        try (Socket s = connect()) {
            roundTripMillis(s);
            long base = roundTripMillis(s);
            proxy.latency(Duration.ofMillis(60), Duration.ofMillis(40));
            long withDelay = roundTripMillis(s);
            assertTrue(withDelay >= 95, "round trip with 60+40 ms added took " + withDelay + " ms");
            assertTrue(withDelay < 100 + base + 900, "round trip took " + withDelay + " ms");
        }
    }

    @Test
    void capsDownstreamBandwidth() throws IOException {
        proxy.bandwidth(0, 1_000_000);
        try (Socket s = connect()) {
            long bytes = 1_000_000;
            byte[] cmd = java.nio.ByteBuffer.allocate(9).put((byte) 'S').putLong(bytes).array();
            long t0 = System.nanoTime();
            s.getOutputStream().write(cmd);
            s.getInputStream().readNBytes((int) bytes);
            double secs = (System.nanoTime() - t0) / 1e9;
            // 1 MB at 1 MB/s is about one second; allow a wide band on a busy machine.
            assertTrue(secs > 0.7 && secs < 4, "1 MB at 1 MB/s took " + secs + " s");
        }
    }

    @Test
    void capsUpstreamBandwidth() throws IOException {
        proxy.bandwidth(500_000, 0);
        try (Socket s = connect()) {
            byte[] data = new byte[500_000];
            long t0 = System.nanoTime();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    s.getOutputStream().write(data);
                } catch (IOException e) {
                    // the assertion below fails instead
                }
            });
            s.getInputStream().readNBytes(data.length);
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs > 0.7 && secs < 4, "500 kB at 500 kB/s took " + secs + " s");
            writer.interrupt();
        }
    }

    @Test
    void cutStallsOpenConnectionsAndRefusesNewOnesUntilRestored() throws Exception {
        try (Socket s = connect()) {
            roundTripMillis(s);
            proxy.cut();
            assertTrue(proxy.isCut());
            s.getOutputStream().write("held".getBytes());
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());

            try (Socket fresh = connect()) {
                assertRefused(fresh);
            }

            proxy.restore();
            s.setSoTimeout(10_000);
            assertArrayEquals("held".getBytes(), s.getInputStream().readNBytes(4));
            roundTripMillis(s);
        }
        try (Socket again = connect()) {
            roundTripMillis(again);
        }
    }

    @Test
    void cutWithResetKillsOpenConnections() throws Exception {
        try (Socket s = connect()) {
            roundTripMillis(s);
            proxy.cut(CutMode.RESET);
            assertRefused(s);
            assertEquals(0, proxy.openConnections());
        }
        proxy.restore();
        assertFalse(proxy.isCut());
        try (Socket again = connect()) {
            roundTripMillis(again);
        }
    }

    /** A reset or closed connection: the read fails or ends, and does so quickly. */
    private static void assertRefused(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        long t0 = System.nanoTime();
        try {
            int r = s.getInputStream().read();
            assertEquals(-1, r, "expected the connection to be closed");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after a cut", e);
        } catch (IOException expected) {
            // connection reset
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 4);
    }

    @Test
    void controlCommandsParse() {
        assertTrue(proxy.control("rtt 40ms").startsWith("ok "), proxy.control("stats"));
        assertTrue(proxy.control("stats").contains("latencyUpMs=20.0"));
        assertTrue(proxy.control("bandwidth 50mbit").contains("rateUp=6250000"));
        assertTrue(proxy.control("cut reset").contains("cut=true"));
        assertTrue(proxy.control("restore").contains("cut=false"));
        assertTrue(proxy.control("bogus").startsWith("error"));
        assertEquals(6_250_000, WanProxy.rate("50mbit"));
        assertEquals(Duration.ofMillis(20), WanProxy.duration("20ms"));
    }
}
