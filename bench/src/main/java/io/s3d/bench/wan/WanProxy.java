package io.s3d.bench.wan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A userspace TCP proxy that emulates a WAN link between a client (s3d, a cache, a load generator)
 * and its remote: added one-way latency per direction, a bandwidth cap per direction shared by all
 * connections (a token bucket, like the bottleneck of one uplink), and a switch that cuts and
 * restores the link. {@code tc netem} is not available on our machines, so this stands in for it.
 *
 * <p>Model: each direction reads what the sender wrote in chunks of up to 16 KiB, pays for the chunk
 * at the bandwidth cap (serialisation), then holds it for the added latency (propagation) and
 * writes it on. At most 8 MiB per direction and connection are in flight, which plays the role of
 * the TCP window.
 *
 * <p>Cut: new connections are accepted and reset at once (the client sees "connection reset" right
 * away, not a connect timeout); open connections either stall until {@link #restore()} or are
 * reset, see {@link CutMode}.
 *
 * <p>Use as a library: {@code WanProxy.start(target)} then {@link #latency}, {@link #bandwidth},
 * {@link #cut}, {@link #restore}; or from the command line, see {@link #main}.
 */
public final class WanProxy implements AutoCloseable {

    private static final int CHUNK = 16 * 1024;
    private static final int IN_FLIGHT = 8 << 20;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final TokenBucket upBucket = new TokenBucket(0);
    private final TokenBucket downBucket = new TokenBucket(0);
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Object cutLock = new Object();
    private volatile long upDelayNanos;
    private volatile long downDelayNanos;
    private volatile boolean cut;

    private WanProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        Thread.ofPlatform().daemon().name("wan-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** Starts a proxy on a free loopback port in front of {@code target}, with no latency, no cap. */
    public static WanProxy start(InetSocketAddress target) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target);
    }

    /** Starts a proxy listening on {@code listen} in front of {@code target}. */
    public static WanProxy start(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(listen, 512);
        return new WanProxy(s, target);
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}, for an S3 endpoint behind the proxy. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Sets the one-way latency added to each direction; an RTT of 40 ms is 20 ms each way. */
    public WanProxy latency(Duration upstream, Duration downstream) {
        upDelayNanos = upstream.toNanos();
        downDelayNanos = downstream.toNanos();
        return this;
    }

    /** Sets a symmetric link: {@code rtt / 2} each way. */
    public WanProxy rtt(Duration rtt) {
        return latency(rtt.dividedBy(2), rtt.dividedBy(2));
    }

    /** Caps each direction in bytes per second; 0 lifts the cap. */
    public WanProxy bandwidth(long upBytesPerSecond, long downBytesPerSecond) {
        upBucket.rate(upBytesPerSecond);
        downBucket.rate(downBytesPerSecond);
        return this;
    }

    /** Caps both directions at {@code megabits} Mbit/s. */
    public WanProxy bandwidthMbit(double megabits) {
        long bps = (long) (megabits * 1_000_000 / 8);
        return bandwidth(bps, bps);
    }

    /** Cuts the link, stalling open connections. */
    public void cut() {
        cut(CutMode.STALL);
    }

    /** Cuts the link: new connections are reset; open ones stall or are reset. */
    public void cut(CutMode mode) {
        synchronized (cutLock) {
            cut = true;
        }
        if (mode == CutMode.RESET) {
            for (Link l : links) {
                l.reset();
            }
        }
    }

    /** Restores the link; stalled connections carry on with what they held. */
    public void restore() {
        synchronized (cutLock) {
            cut = false;
            cutLock.notifyAll();
        }
    }

    /** Whether the link is cut. */
    public boolean isCut() {
        return cut;
    }

    /** Bytes carried from clients to the target since start or {@link #resetCounters()}. */
    public long bytesUp() {
        return bytesUp.get();
    }

    /** Bytes carried from the target to clients (the remote's egress) since start or the last reset. */
    public long bytesDown() {
        return bytesDown.get();
    }

    /** Connections accepted since start or the last reset (reset ones included). */
    public long connectionsAccepted() {
        return connections.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return links.size();
    }

    /** Zeroes the byte and connection counters. */
    public void resetCounters() {
        bytesUp.set(0);
        bytesDown.set(0);
        connections.set(0);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Link l : links) {
            l.reset();
        }
        restore();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            if (cut) {
                resetQuietly(client);
                continue;
            }
            Thread.ofPlatform().daemon().name("wan-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            // The TCP handshake crosses the link too: one round trip before the first byte.
            sleepNanos(upDelayNanos + downDelayNanos);
            upstream.setTcpNoDelay(true);
            upstream.connect(target, 10_000);
            client.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            resetQuietly(client);
            resetQuietly(upstream);
            return;
        }
        Link l = new Link(client, upstream);
        links.add(l);
        l.start();
    }

    private void awaitLink() throws InterruptedException {
        if (!cut) {
            return;
        }
        synchronized (cutLock) {
            while (cut) {
                cutLock.wait();
            }
        }
    }

    private static void sleepNanos(long nanos) {
        long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // not connected
        }
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** One proxied connection: two directions, each a reader and a writer thread. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private int directionsDone;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            new Direction(this, client, upstream, upBucket, true).start();
            new Direction(this, upstream, client, downBucket, false).start();
        }

        synchronized void finished() {
            if (++directionsDone == 2) {
                close();
            }
        }

        void close() {
            links.remove(this);
            try {
                client.close();
            } catch (IOException e) {
                // already closed
            }
            try {
                upstream.close();
            } catch (IOException e) {
                // already closed
            }
        }

        void reset() {
            links.remove(this);
            resetQuietly(client);
            resetQuietly(upstream);
        }
    }

    private record Chunk(byte[] data, int length, long deliverAt) {
    }

    /** One direction of a link: the reader paces and timestamps, the writer delivers on time. */
    private final class Direction {
        private final Link link;
        private final Socket from;
        private final Socket to;
        private final TokenBucket bucket;
        private final boolean up;
        private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Semaphore window = new Semaphore(IN_FLIGHT);

        Direction(Link link, Socket from, Socket to, TokenBucket bucket, boolean up) {
            this.link = link;
            this.from = from;
            this.to = to;
            this.bucket = bucket;
            this.up = up;
        }

        void start() {
            Thread.ofPlatform().daemon().name("wan-read").start(this::readLoop);
            Thread.ofPlatform().daemon().name("wan-write").start(this::writeLoop);
        }

        private void readLoop() {
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    if (n < 0) {
                        queue.put(new Chunk(null, -1, System.nanoTime() + delay()));
                        return;
                    }
                    awaitLink();
                    bucket.acquire(n);
                    window.acquire(n);
                    (up ? bytesUp : bytesDown).addAndGet(n);
                    queue.put(new Chunk(buf, n, System.nanoTime() + delay()));
                }
            } catch (IOException | InterruptedException e) {
                queue.offer(new Chunk(null, -2, 0));
            }
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    if (c.length() == -2) {
                        link.reset();
                        return;
                    }
                    sleepNanos(c.deliverAt() - System.nanoTime());
                    awaitLink();
                    if (c.length() < 0) {
                        if (!to.isClosed()) {
                            to.shutdownOutput();
                        }
                        link.finished();
                        return;
                    }
                    out.write(c.data(), 0, c.length());
                    window.release(c.length());
                }
            } catch (IOException | InterruptedException e) {
                link.reset();
            }
        }

        private long delay() {
            return up ? upDelayNanos : downDelayNanos;
        }
    }

    /**
     * Command line: {@code WanProxy --listen [HOST:]PORT --target HOST:PORT [--rtt 40ms]
     * [--latency-up 20ms --latency-down 20ms] [--bandwidth 50mbit] [--bandwidth-up R --bandwidth-down R]
     * [--control PORT]}. Rates take {@code kbit}, {@code mbit}, {@code gbit}, {@code KB}, {@code MB}
     * (10^3, 10^6 bytes) or plain bytes per second.
     *
     * <p>The control port (loopback only) takes one command per line and answers one line:
     * {@code cut}, {@code cut reset}, {@code restore}, {@code rtt 40ms},
     * {@code latency UP DOWN}, {@code bandwidth RATE [RATE]}, {@code stats}.
     */
    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!a.containsKey("listen") || !a.containsKey("target")) {
            System.err.println("usage: WanProxy --listen [HOST:]PORT --target HOST:PORT [--rtt 40ms]"
                    + " [--latency-up D --latency-down D] [--bandwidth 50mbit | --bandwidth-up R --bandwidth-down R]"
                    + " [--control PORT]");
            System.exit(2);
        }
        WanProxy p = start(address(a.get("listen"), "127.0.0.1"), address(a.get("target"), "127.0.0.1"));
        if (a.containsKey("rtt")) {
            p.rtt(duration(a.get("rtt")));
        }
        if (a.containsKey("latency-up") || a.containsKey("latency-down")) {
            p.latency(duration(a.getOrDefault("latency-up", "0ms")), duration(a.getOrDefault("latency-down", "0ms")));
        }
        if (a.containsKey("bandwidth")) {
            long r = rate(a.get("bandwidth"));
            p.bandwidth(r, r);
        }
        if (a.containsKey("bandwidth-up") || a.containsKey("bandwidth-down")) {
            p.bandwidth(rate(a.getOrDefault("bandwidth-up", "0")), rate(a.getOrDefault("bandwidth-down", "0")));
        }
        System.out.println("wan proxy listening on " + p.server.getLocalSocketAddress() + " -> " + p.target);
        Runtime.getRuntime().addShutdownHook(new Thread(p::close));
        if (a.containsKey("control")) {
            ServerSocket control = new ServerSocket(Integer.parseInt(a.get("control")), 8,
                    InetAddress.getLoopbackAddress());
            System.out.println("control port " + control.getLocalPort());
            while (true) {
                Socket s = control.accept();
                Thread.ofPlatform().daemon().start(() -> p.serveControl(s));
            }
        }
        Thread.currentThread().join();
    }

    private void serveControl(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(control(line.trim()));
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Executes one control command and returns the answer line. */
    String control(String command) {
        String[] w = command.split("\\s+");
        try {
            switch (w[0].toLowerCase(Locale.ROOT)) {
                case "cut" -> cut(w.length > 1 && w[1].equalsIgnoreCase("reset") ? CutMode.RESET : CutMode.STALL);
                case "restore" -> restore();
                case "rtt" -> rtt(duration(w[1]));
                case "latency" -> latency(duration(w[1]), duration(w.length > 2 ? w[2] : w[1]));
                case "bandwidth" -> bandwidth(rate(w[1]), rate(w.length > 2 ? w[2] : w[1]));
                case "stats" -> {
                    return stats();
                }
                default -> {
                    return "error unknown command: " + w[0];
                }
            }
            return "ok " + stats();
        } catch (RuntimeException e) {
            return "error " + e.getMessage();
        }
    }

    private String stats() {
        return String.format(Locale.ROOT,
                "cut=%s latencyUpMs=%.1f latencyDownMs=%.1f rateUp=%d rateDown=%d bytesUp=%d bytesDown=%d open=%d accepted=%d",
                cut, upDelayNanos / 1e6, downDelayNanos / 1e6, upBucket.rate(), downBucket.rate(), bytesUp.get(),
                bytesDown.get(), links.size(), connections.get());
    }

    static InetSocketAddress address(String s, String defaultHost) {
        int c = s.lastIndexOf(':');
        return c < 0 ? new InetSocketAddress(defaultHost, Integer.parseInt(s))
                : new InetSocketAddress(s.substring(0, c), Integer.parseInt(s.substring(c + 1)));
    }

    static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofNanos((long) (Double.parseDouble(t.substring(0, t.length() - 2)) * 1e6));
        }
        if (t.endsWith("s")) {
            return Duration.ofNanos((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9));
        }
        return Duration.ofMillis(Long.parseLong(t));
    }

    /** Bytes per second from {@code 50mbit}, {@code 10MB}, {@code 0}. */
    static long rate(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"gbit", "125000000"}, {"mbit", "125000"}, {"kbit", "125"}, {"gb", "1000000000"},
                {"mb", "1000000"}, {"kb", "1000"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                return (long) (Double.parseDouble(t.substring(0, t.length() - u[0].length())) * Long.parseLong(u[1]));
            }
        }
        return Long.parseLong(t);
    }
}
