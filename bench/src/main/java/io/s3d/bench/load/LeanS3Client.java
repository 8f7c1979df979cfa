package io.s3d.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A lean S3 client for the load generator: HTTP/1.1 with keep-alive over plain sockets (one pooled
 * connection per concurrent request), SigV4 header signing with {@code UNSIGNED-PAYLOAD}, path style.
 * PUT bodies carry an {@code x-amz-checksum-crc32} header the server can verify, as the SDK's default
 * checksums do (the SDK sends it as an aws-chunked trailer instead). It exists because the AWS SDK
 * costs about a millisecond of CPU per small request on this machine, which on 2 shared cores is the
 * bottleneck for 4 KiB workloads; the report shows both clients' ceilings.
 */
public final class LeanS3Client implements S3Ops {

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern KEY_COUNT = Pattern.compile("<KeyCount>(\\d+)</KeyCount>");
    private static final Pattern TRUNCATED = Pattern.compile("<IsTruncated>true</IsTruncated>");
    private static final Pattern NEXT = Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final String REGION = "us-east-1";

    private final InetSocketAddress address;
    private final String host;
    private final String accessKey;
    private final String secretKey;
    private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
    private volatile String keyDate;
    private volatile byte[] signingKey;

    /** A client for one endpoint ({@code http://host:port}). */
    public LeanS3Client(URI endpoint, String accessKey, String secretKey) {
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
        this.address = new InetSocketAddress(endpoint.getHost(), port);
        this.host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    @Override
    public void createBucket(String bucket) throws IOException {
        Response r = exchange("PUT", "/" + bucket, Map.of(), null, 0, null, false);
        r.drain();
        if (r.status != 200 && r.status != 409) {
            throw r.failure("PUT bucket " + bucket);
        }
    }

    @Override
    public void put(String bucket, String key, long size) throws IOException {
        Response r = exchange("PUT", path(bucket, key), Map.of(), key, size, null, false);
        r.drain();
        if (r.status != 200) {
            throw r.failure("PUT " + key);
        }
    }

    @Override
    public long get(String bucket, String key, boolean range, long from, long length, byte[] buf) throws IOException {
        Response r = exchange("GET", path(bucket, key), Map.of(), null, 0,
                range ? "bytes=" + from + "-" + (from + length - 1) : null, false);
        if (r.status != (range ? 206 : 200)) {
            r.drain();
            throw r.failure("GET " + key);
        }
        try {
            long n = Content.verify(key, from, length, r.body, buf);
            r.done();
            return n;
        } catch (IOException e) {
            r.abandon();
            throw e;
        }
    }

    @Override
    public long head(String bucket, String key) throws IOException {
        Response r = exchange("HEAD", path(bucket, key), Map.of(), null, 0, null, true);
        r.drain();
        if (r.status != 200) {
            throw r.failure("HEAD " + key);
        }
        return Long.parseLong(r.headers.getOrDefault("content-length", "-1"));
    }

    @Override
    public Page list(String bucket, String prefix, String token, int maxKeys) throws IOException {
        Map<String, String> q = new HashMap<>();
        q.put("list-type", "2");
        q.put("prefix", prefix);
        q.put("max-keys", Integer.toString(maxKeys));
        if (token != null) {
            q.put("continuation-token", token);
        }
        Response r = exchange("GET", "/" + bucket, q, null, 0, null, false);
        String xml = new String(r.body.readAllBytes(), StandardCharsets.UTF_8);
        r.done();
        if (r.status != 200) {
            throw new IOException("LIST " + bucket + ": HTTP " + r.status + " " + code(xml));
        }
        Matcher kc = KEY_COUNT.matcher(xml);
        int count = kc.find() ? Integer.parseInt(kc.group(1)) : countKeys(xml);
        Matcher next = NEXT.matcher(xml);
        String nextToken = TRUNCATED.matcher(xml).find() && next.find() ? unescapeXml(next.group(1)) : null;
        return new Page(count, nextToken);
    }

    @Override
    public String describe() {
        return "lean SigV4 client (bench/src/main/java/io/s3d/bench/load/LeanS3Client.java)";
    }

    @Override
    public void close() {
        Conn c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }

    private static int countKeys(String xml) {
        int n = 0;
        for (int i = xml.indexOf("<Key>"); i >= 0; i = xml.indexOf("<Key>", i + 5)) {
            n++;
        }
        return n;
    }

    private static String unescapeXml(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static String code(String xml) {
        Matcher m = CODE.matcher(xml);
        return m.find() ? m.group(1) : xml.length() > 200 ? xml.substring(0, 200) : xml;
    }

    private static String path(String bucket, String key) {
        return "/" + bucket + "/" + encode(key, false);
    }

    /** RFC 3986 encoding as SigV4 wants it; '/' kept in paths. */
    static String encode(String s, boolean encodeSlash) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    /**
     * Sends one request (retrying once on a fresh connection when a pooled one turns out closed)
     * and returns the response with its body unread.
     */
    private Response exchange(String method, String path, Map<String, String> query, String bodyKey, long bodySize,
                              String range, boolean head) throws IOException {
        String crc = bodyKey != null ? crc32(bodyKey, bodySize) : null;
        for (int attempt = 0; ; attempt++) {
            Conn c = idle.pollFirst();
            boolean reused = c != null;
            if (c == null) {
                c = new Conn(address);
            }
            try {
                writeRequest(c.out, method, path, query, bodyKey, bodySize, range, crc);
                Response r = readResponse(c, head);
                return r;
            } catch (IOException e) {
                c.close();
                // A keep-alive connection the server closed while idle fails on first use; that is
                // not the server failing the request, so try once more on a new connection.
                if (!reused || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void writeRequest(OutputStream out, String method, String path, Map<String, String> query, String bodyKey,
                              long bodySize, String range, String crc) throws IOException {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> q = new TreeMap<>();
        query.forEach((k, v) -> q.put(encode(k, true), encode(v, true)));
        StringBuilder qs = new StringBuilder();
        q.forEach((k, v) -> qs.append(qs.isEmpty() ? "" : "&").append(k).append('=').append(v));
        TreeMap<String, String> signed = new TreeMap<>();
        signed.put("host", host);
        signed.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        signed.put("x-amz-date", amzDate);
        if (crc != null) {
            signed.put("x-amz-checksum-crc32", crc);
        }
        if (range != null) {
            signed.put("range", range);
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonical = method + "\n" + path + "\n" + qs + "\n" + canonicalHeaders + "\n" + signedHeaders
                + "\nUNSIGNED-PAYLOAD";
        String scope = date + "/" + REGION + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
        String signature = hex(hmac(key(date), toSign));
        StringBuilder req = new StringBuilder(512);
        req.append(method).append(' ').append(path).append(qs.isEmpty() ? "" : "?" + qs).append(" HTTP/1.1\r\n");
        signed.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("authorization: AWS4-HMAC-SHA256 Credential=").append(accessKey).append('/').append(scope)
                .append(", SignedHeaders=").append(signedHeaders).append(", Signature=").append(signature)
                .append("\r\n");
        if (bodyKey != null || "PUT".equals(method)) {
            req.append("content-length: ").append(bodySize).append("\r\n");
            req.append("content-type: application/octet-stream\r\n");
        }
        req.append("\r\n");
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (bodyKey != null && bodySize > 0) {
            int start = Content.offset(bodyKey);
            byte[] buf = new byte[(int) Math.min(256 * 1024, bodySize)];
            for (long pos = 0; pos < bodySize; ) {
                int n = (int) Math.min(buf.length, bodySize - pos);
                Content.fill(start, pos, buf, 0, n);
                out.write(buf, 0, n);
                pos += n;
            }
        }
        out.flush();
    }

    private static String crc32(String key, long size) {
        CRC32 crc = new CRC32();
        int start = Content.offset(key);
        byte[] buf = new byte[(int) Math.max(1, Math.min(256 * 1024, size))];
        for (long pos = 0; pos < size; ) {
            int n = (int) Math.min(buf.length, size - pos);
            Content.fill(start, pos, buf, 0, n);
            crc.update(buf, 0, n);
            pos += n;
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private byte[] key(String date) {
        byte[] k = signingKey;
        if (k != null && date.equals(keyDate)) {
            return k;
        }
        k = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, REGION);
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        signingKey = k;
        keyDate = date;
        return k;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private Response readResponse(Conn c, boolean head) throws IOException {
        String status = readLine(c.in);
        if (status == null) {
            throw new IOException("connection closed before the response");
        }
        String[] parts = status.split(" ", 3);
        int code = Integer.parseInt(parts[1]);
        Map<String, String> headers = new HashMap<>();
        String line;
        while ((line = readLine(c.in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if (code == 100) {
            return readResponse(c, head);
        }
        boolean close = "close".equalsIgnoreCase(headers.get("connection"));
        InputStream body;
        if (head || code == 204 || code == 304) {
            body = InputStream.nullInputStream();
        } else if (headers.containsKey("content-length")) {
            body = new Bounded(c.in, Long.parseLong(headers.get("content-length")));
        } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            body = new Chunked(c.in);
        } else {
            body = c.in;
            close = true;
        }
        return new Response(c, code, headers, body, close);
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int ch;
        while ((ch = in.read()) >= 0) {
            if (ch == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) ch);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private final class Response {
        final Conn conn;
        final int status;
        final Map<String, String> headers;
        final InputStream body;
        final boolean close;

        Response(Conn conn, int status, Map<String, String> headers, InputStream body, boolean close) {
            this.conn = conn;
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.close = close;
        }

        /** Reads the rest of the body and gives the connection back. */
        void drain() throws IOException {
            if (status >= 300) {
                errorBody = code(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } else {
                body.transferTo(OutputStream.nullOutputStream());
            }
            done();
        }

        private String errorBody = "";

        IOException failure(String what) {
            return new IOException(what + ": HTTP " + status + (errorBody.isEmpty() ? "" : " " + errorBody));
        }

        void done() {
            if (close) {
                conn.close();
            } else {
                idle.offerFirst(conn);
            }
        }

        void abandon() {
            conn.close();
        }
    }

    private static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Conn(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            socket.setSoTimeout(300_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    /** A body of known length. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("body cut short");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("body cut short with " + left + " bytes to go");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body; trailers are skipped. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean end;

        Chunked(InputStream in) {
            this.in = in;
        }

        private boolean next() throws IOException {
            if (end) {
                return false;
            }
            if (left == 0) {
                String size = readLine(in);
                if (size != null && size.isEmpty()) {
                    size = readLine(in);
                }
                if (size == null) {
                    throw new IOException("chunked body cut short");
                }
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    String t;
                    while ((t = readLine(in)) != null && !t.isEmpty()) {
                        // trailer
                    }
                    end = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!next()) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("chunked body cut short");
            }
            left -= n;
            return n;
        }
    }
}
