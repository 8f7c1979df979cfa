package io.s3d.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP proxy between s3d and its remote, for faults the WAN emulator (a TCP
 * proxy) cannot make: it reads each request's head and, when a rule matches the request line
 * ({@code PUT /bucket/key?...}), answers an S3 error instead of forwarding it. Everything else is forwarded byte for byte (signatures stay valid: the Host header and
 * the signed headers are untouched; {@code Connection: close} is added, which SigV4 does not sign,
 * so every request comes on a connection of its own and is seen here).
 */
final class FaultProxy implements AutoCloseable {
    private record Rule(Pattern requestLine, int status, String code) {
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final List<String> heads = new CopyOnWriteArrayList<>();

    private FaultProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::acceptLoop);
    }

    /** A proxy on a free loopback port in front of {@code target} (an http:// URI). */
    static FaultProxy start(URI target) throws IOException {
        ServerSocket s = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        return new FaultProxy(s, new InetSocketAddress(target.getHost(), target.getPort()));
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Answers requests whose request line matches {@code regex} with {@code status} and S3 error {@code code}. */
    void fail(String regex, int status, String code) {
        rules.add(new Rule(Pattern.compile(regex), status, code));
    }

    /** Removes every rule. */
    void clear() {
        rules.clear();
    }

    /** The heads (request line and headers) of every request seen so far, in arrival order. */
    List<String> heads() {
        return List.copyOf(heads);
    }

    /** Requests answered with an injected error so far. */
    int injected() {
        return injected.get();
    }

    @Override
    public void close() throws IOException {
        clear();
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().name("fault-proxy").start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            heads.add(head);
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            for (Rule rule : rules) {
                if (!rule.requestLine().matcher(requestLine).find()) {
                    continue;
                }
                injected.incrementAndGet();
                drainBody(in, head);
                answer(client.getOutputStream(), rule.status(), rule.code());
                return;
            }
            forward(client, in, head);
        } catch (IOException e) {
            // the client or the remote went away
        }
    }

    private void forward(Socket client, InputStream in, String head) throws IOException {
        try (Socket upstream = new Socket()) {
            upstream.connect(target, 10_000);
            StringBuilder rewritten = new StringBuilder();
            for (String line : head.split("\r\n")) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    rewritten.append(line).append("\r\n");
                }
            }
            rewritten.append("Connection: close\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            Thread body = Thread.ofPlatform().daemon().name("fault-proxy-up").start(() -> {
                try {
                    in.transferTo(up);
                    upstream.shutdownOutput();
                } catch (IOException e) {
                    // closed
                }
            });
            upstream.getInputStream().transferTo(client.getOutputStream());
            client.shutdownOutput();
            body.interrupt();
        }
    }

    /** The request head (request line and headers, up to the empty line), or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (c == '\n' && head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    private static void drainBody(InputStream in, String head) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        java.util.regex.Matcher length = Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(lower);
        if (length.find()) {
            in.skipNBytes(Long.parseLong(length.group(1)));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String size = readLine(in).split(";")[0].trim();
                long n = Long.parseLong(size, 16);
                if (n == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    return;
                }
                in.skipNBytes(n);
                readLine(in);
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void answer(OutputStream out, int status, String code) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + "injected by the test's fault proxy</Message><RequestId>fault-proxy</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " Injected\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.length + "\r\nx-amz-request-id: fault-proxy\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }
}
