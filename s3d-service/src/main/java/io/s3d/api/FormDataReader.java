package io.s3d.api;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} reader for browser uploads: small fields are read into
 * memory (bounded), the file part is handed out as a stream that ends at the next boundary, so a
 * large upload never sits in the heap.
 */
final class FormDataReader {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_FIELD_BYTES = 64 * 1024;
    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[128 * 1024];
    private int position;
    private int limit;
    private boolean finished;

    /** One part: its form name, file name (null for plain fields) and content type. */
    record PartHeader(String name, String filename, String contentType) {
    }

    FormDataReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary has no CRLF before it: pretend it had, so every boundary looks alike.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String trimmed = param.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = trimmed.substring("boundary=".length());
                return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    /** Skips the preamble; must be called once before {@link #nextPart()}. */
    void start() throws IOException {
        drain(partStream());
        afterBoundary();
    }

    /** The next part's headers, or null after the closing boundary. */
    PartHeader nextPart() throws IOException {
        if (finished) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            String line = readLine();
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw malformed();
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw malformed();
        }
        return new PartHeader(param(disposition, "name"), param(disposition, "filename"), headers.get("content-type"));
    }

    /** A field's value (bounded in size); moves past its closing boundary. */
    String fieldValue() throws IOException {
        InputStream part = partStream();
        byte[] value = part.readNBytes(MAX_FIELD_BYTES + 1);
        if (value.length > MAX_FIELD_BYTES) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "A form field is larger than " + MAX_FIELD_BYTES + " bytes.");
        }
        drain(part);
        afterBoundary();
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The current part's content as a stream ending at the next boundary. */
    InputStream partStream() {
        return new InputStream() {
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] target, int offset, int length) throws IOException {
                if (ended) {
                    return -1;
                }
                while (true) {
                    int found = indexOf(delimiter, position, limit);
                    if (found >= 0) {
                        if (found == position) {
                            position += delimiter.length;
                            ended = true;
                            return -1;
                        }
                        int n = Math.min(length, found - position);
                        System.arraycopy(buffer, position, target, offset, n);
                        position += n;
                        return n;
                    }
                    int safe = limit - (delimiter.length - 1);
                    if (safe > position) {
                        int n = Math.min(length, safe - position);
                        System.arraycopy(buffer, position, target, offset, n);
                        position += n;
                        return n;
                    }
                    if (!fill()) {
                        throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The form ended before its closing boundary.");
                    }
                }
            }
        };
    }

    /** After a delimiter: {@code --} ends the form, CRLF starts another part. */
    void afterBoundary() throws IOException {
        ensure(2);
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            finished = true;
            return;
        }
        String rest = readLine();
        if (!rest.isBlank()) {
            throw malformed();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (position >= limit && !fill()) {
                throw malformed();
            }
            byte b = buffer[position++];
            if (b == '\n') {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            line.append((char) (b & 0xff));
            if (line.length() > MAX_HEADER_BYTES) {
                throw malformed();
            }
        }
    }

    private void ensure(int bytes) throws IOException {
        while (limit - position < bytes) {
            if (!fill()) {
                throw malformed();
            }
        }
    }

    /** Compacts the buffer and reads more; false at end of input. */
    private boolean fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            return false;
        }
        limit += read;
        return true;
    }

    private int indexOf(byte[] pattern, int from, int to) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void drain(InputStream part) throws IOException {
        byte[] skip = new byte[8192];
        while (part.read(skip) >= 0) {
            // discard
        }
    }

    private static String param(String disposition, String name) {
        for (String piece : disposition.split(";")) {
            String trimmed = piece.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith(name + "=")) {
                String value = trimmed.substring(name.length() + 1);
                return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
    }
}
