package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Removes aws-chunked framing and verifies the chunk signature chain as the body streams.
 *
 * <p>Chunk data is passed through as it arrives, never collected: SDKs send chunks of up to
 * several MiB and a body may be many GiB. The cost is that a chunk's bytes reach the caller before
 * its signature can be checked; the failure then comes from the read that completes the chunk,
 * and the caller must discard what it wrote. Header and trailer lines are bounded so a client
 * cannot make the server buffer an endless line.
 */
final class ChunkedBodyStream extends InputStream {
    /** Far longer than any real chunk header ({@code 800000;chunk-signature=<64 hex>}) or trailer. */
    static final int MAX_LINE = 4096;
    static final int MAX_TRAILERS = 64;
    /** Chunk sizes beyond this are framing errors, not real chunks (and would overflow arithmetic). */
    static final long MAX_CHUNK_SIZE = 1L << 40;

    private enum State { HEADER, DATA, DONE }

    private final InputStream in;
    private final AuthContext auth;
    private final boolean verifySignatures;
    private final MessageDigest chunkDigest;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;

    private State state = State.HEADER;
    private long remaining;
    private String previousSignature;
    private String pendingSignature;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private S3Exception failure;

    ChunkedBodyStream(InputStream in, AuthContext auth) {
        this.in = in;
        this.auth = auth;
        this.verifySignatures = auth.verifiesChunkSignatures();
        this.chunkDigest = verifySignatures ? SigV4.sha256() : null;
        this.previousSignature = auth.seedSignature();
    }

    /** Trailer headers (lower-case names) in the order sent; complete once the stream is at its end. */
    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        try {
            while (true) {
                switch (state) {
                    case DONE:
                        return -1;
                    case HEADER:
                        readChunkHeader();
                        continue;
                    case DATA:
                        int n = readData(b, off, (int) Math.min(len, remaining));
                        if (verifySignatures) {
                            chunkDigest.update(b, off, n);
                        }
                        remaining -= n;
                        if (remaining == 0) {
                            endOfChunk();
                        }
                        return n;
                    default:
                        throw new IllegalStateException();
                }
            }
        } catch (S3Exception e) {
            failure = e;
            throw e;
        }
    }

    private void readChunkHeader() throws IOException {
        String line = readLine(false);
        if (line == null) {
            throw incomplete("The request body ended before the final aws-chunked chunk.");
        }
        int semicolon = line.indexOf(';');
        String sizeText = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        long size = parseChunkSize(sizeText);
        pendingSignature = null;
        if (semicolon >= 0) {
            for (String extension : line.substring(semicolon + 1).split(";")) {
                int eq = extension.indexOf('=');
                if (eq > 0 && extension.substring(0, eq).strip().equals("chunk-signature")) {
                    pendingSignature = extension.substring(eq + 1).strip();
                }
            }
        }
        if (verifySignatures && pendingSignature == null) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, "The chunk is missing its chunk-signature.");
        }
        if (size == 0) {
            verifyChunkSignature();
            readTrailers();
            state = State.DONE;
        } else {
            remaining = size;
            state = State.DATA;
        }
    }

    private static long parseChunkSize(String text) {
        if (text.isEmpty() || text.length() > 11) {
            throw incomplete("Malformed aws-chunked chunk size \"" + abbreviate(text) + "\".");
        }
        long size = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw incomplete("Malformed aws-chunked chunk size \"" + abbreviate(text) + "\".");
            }
            size = size * 16 + digit;
        }
        if (size > MAX_CHUNK_SIZE) {
            throw incomplete("aws-chunked chunk size too large.");
        }
        return size;
    }

    private void endOfChunk() throws IOException {
        int cr = nextByte();
        int lf = cr == '\r' ? nextByte() : cr;
        if (lf != '\n') {
            throw incomplete("aws-chunked chunk data is not followed by CRLF.");
        }
        verifyChunkSignature();
        state = State.HEADER;
    }

    private void verifyChunkSignature() {
        if (!verifySignatures) {
            return;
        }
        String dataHash = SigV4.hex(chunkDigest.digest());
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + auth.amzDate() + "\n" + auth.scope() + "\n"
                + previousSignature + "\n" + SigV4.EMPTY_SHA256 + "\n" + dataHash;
        String expected = SigV4.sign(auth.signingKey(), stringToSign);
        if (!SigV4.signaturesEqual(expected, pendingSignature)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        }
        previousSignature = expected;
    }

    /**
     * Reads trailer lines up to the empty line that ends the body. The trailer signature covers
     * every other trailer as {@code name:value\n}, chained to the final chunk's signature.
     */
    private void readTrailers() throws IOException {
        StringBuilder signedTrailers = new StringBuilder();
        String trailerSignature = null;
        int count = 0;
        while (true) {
            String line = readLine(true);
            if (line == null || line.isEmpty()) {
                // A body may end without the closing empty line; nothing after it is data anyway.
                break;
            }
            if (++count > MAX_TRAILERS) {
                throw incomplete("Too many aws-chunked trailers.");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw incomplete("Malformed aws-chunked trailer \"" + abbreviate(line) + "\".");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("x-amz-trailer-signature")) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                signedTrailers.append(name).append(':').append(value).append('\n');
            }
        }
        if (verifySignatures && auth.payloadMode() == PayloadMode.STREAMING_SIGNED_TRAILER) {
            String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + auth.amzDate() + "\n" + auth.scope() + "\n"
                    + previousSignature + "\n"
                    + SigV4.sha256Hex(signedTrailers.toString().getBytes(StandardCharsets.UTF_8));
            String expected = SigV4.sign(auth.signingKey(), stringToSign);
            if (!SigV4.signaturesEqual(expected, trailerSignature)) {
                throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
            }
        }
    }

    /**
     * One line without its CRLF (a bare LF is tolerated), or null at a clean end of stream.
     * {@code eofOk} allows the stream to end at a line boundary.
     */
    private String readLine(boolean eofOk) throws IOException {
        byte[] line = new byte[128];
        int length = 0;
        while (true) {
            int c = nextByte();
            if (c < 0) {
                if (length == 0) {
                    return null;
                }
                throw incomplete("The request body ended inside an aws-chunked header.");
            }
            if (c == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == MAX_LINE) {
                throw incomplete("aws-chunked header line too long.");
            }
            if (length == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE + 1, line.length * 2));
            }
            line[length++] = (byte) c;
        }
    }

    private int nextByte() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos++] & 0xff;
    }

    /** Reads chunk data: buffered bytes first, then straight into the caller's array when it is large. */
    private int readData(byte[] b, int off, int len) throws IOException {
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= buffer.length) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw incomplete("The request body ended inside an aws-chunked chunk.");
            }
            return n;
        }
        if (!fill()) {
            throw incomplete("The request body ended inside an aws-chunked chunk.");
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buffer, pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private static S3Exception incomplete(String message) {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY, message);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
