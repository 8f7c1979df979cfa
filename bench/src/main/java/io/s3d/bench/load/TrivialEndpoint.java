package io.s3d.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator's ceiling: an in-process HTTP/1.1 server that does no storage and no
 * authentication. It drains PUT bodies (Content-Length or chunked), answers GET of a prepared key
 * with that key's deterministic content (the size is in the key name), HEAD with the length, and
 * LIST with a one-key page. Whatever rate the load generator reaches against it is the most it can
 * measure on this machine.
 */
public final class TrivialEndpoint implements AutoCloseable {

    private static final Pattern OBJ = Pattern.compile("obj-(\\d+)-\\d+$");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    private final ServerSocket server;
    private final Thread acceptor;

    private TrivialEndpoint(ServerSocket server) {
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("trivial-accept").start(this::acceptLoop);
    }

    /** Starts on a free loopback port. */
    public static TrivialEndpoint start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        return new TrivialEndpoint(s);
    }

    /** The endpoint URI for an S3 client. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread.ofPlatform().daemon().name("trivial-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
             OutputStream out = new BufferedOutputStream(s.getOutputStream(), 65536)) {
            byte[] buf = new byte[65536];
            String line;
            while ((line = readLine(in)) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = line.split(" ");
                String method = parts[0];
                String target = parts[1];
                long contentLength = 0;
                boolean chunked = false;
                String range = null;
                boolean expectContinue = false;
                while (!(line = readLine(in)).isEmpty()) {
                    int c = line.indexOf(':');
                    String name = line.substring(0, c).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(c + 1).trim();
                    switch (name) {
                        case "content-length" -> contentLength = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "range" -> range = value;
                        case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                        default -> {
                        }
                    }
                }
                if (expectContinue) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                if (chunked) {
                    drainChunked(in, buf);
                } else {
                    drain(in, contentLength, buf);
                }
                respond(method, target, range, out, buf);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client closed the connection
        }
    }

    private static void respond(String method, String target, String range, OutputStream out, byte[] buf)
            throws IOException {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        Matcher m = OBJ.matcher(path);
        if (("GET".equals(method) || "HEAD".equals(method)) && m.find()) {
            long size = Long.parseLong(m.group(1));
            String key = java.net.URLDecoder.decode(path.substring(path.indexOf('/', 1) + 1), StandardCharsets.UTF_8);
            long from = 0;
            long len = size;
            String status = "200 OK";
            String extra = "";
            Matcher r = range == null ? null : RANGE.matcher(range);
            if (r != null && r.matches()) {
                from = Long.parseLong(r.group(1));
                len = Math.min(size - 1, Long.parseLong(r.group(2))) - from + 1;
                status = "206 Partial Content";
                extra = "Content-Range: bytes " + from + "-" + (from + len - 1) + "/" + size + "\r\n";
            }
            head(out, status, "Content-Type: application/octet-stream\r\nETag: \"0\"\r\n" + extra, len);
            if ("GET".equals(method)) {
                int start = Content.offset(key);
                long pos = from;
                long end = from + len;
                while (pos < end) {
                    int n = (int) Math.min(buf.length, end - pos);
                    Content.fill(start, pos, buf, 0, n);
                    out.write(buf, 0, n);
                    pos += n;
                }
            }
        } else if ("GET".equals(method) && query.contains("list-type=2")) {
            byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>"
                    + "<Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>"
                    + "<IsTruncated>false</IsTruncated><Contents><Key>k</Key><Size>1</Size>"
                    + "<ETag>\"0\"</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents>"
                    + "</ListBucketResult>").getBytes(StandardCharsets.UTF_8);
            head(out, "200 OK", "Content-Type: application/xml\r\n", xml.length);
            out.write(xml);
        } else {
            head(out, "200 OK", "ETag: \"0\"\r\n", 0);
        }
    }

    private static void head(OutputStream out, String status, String headers, long length) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "x-amz-request-id: 0\r\nContent-Length: " + length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void drain(InputStream in, long n, byte[] buf) throws IOException {
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("body cut short");
            }
            n -= r;
        }
    }

    private static void drainChunked(InputStream in, byte[] buf) throws IOException {
        while (true) {
            String size = readLine(in);
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    // trailers (checksums) are not checked here
                }
                return;
            }
            drain(in, n, buf);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
