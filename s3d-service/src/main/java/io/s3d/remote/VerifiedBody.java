package io.s3d.remote;

import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A client's request body on its way to the remote. The SDK reads exactly {@code length} bytes and
 * would never see the end of stream, where s3d's decoders settle signatures and checksums; so the
 * last bytes are handed over only after the end has been read and the body has proven intact. The
 * SDK may ask for the body again before reading it (signing, a retry after a failed connect), but
 * not once bytes have gone out: the client's bytes are not kept, so the client must retry.
 */
final class VerifiedBody {
    private final InputStream body;
    private final long length;
    private volatile S3Exception failure;
    private Stream stream;

    VerifiedBody(InputStream body, long length) {
        this.body = body;
        this.length = length;
    }

    /** The client-side failure seen while the SDK read the body, if any. */
    Optional<S3Exception> failure() {
        return Optional.ofNullable(failure);
    }

    ContentStreamProvider provider() {
        return () -> {
            synchronized (this) {
                if (stream == null) {
                    stream = new Stream();
                } else if (stream.remaining != length) {
                    // A retry after bytes went out: they are gone, the client must retry instead.
                    throw new IllegalStateException("the remote failed after part of the body was sent");
                }
                return stream;
            }
        };
    }

    private final class Stream extends InputStream {
        private long remaining = length;
        private boolean settled;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                settle();
                return -1;
            }
            int n;
            try {
                n = body.read(b, off, (int) Math.min(len, remaining));
            } catch (S3Exception e) {
                failure = e;
                throw new IOException(e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (n < 0) {
                failure = new S3Exception(io.s3d.backend.S3ErrorCode.INCOMPLETE_BODY);
                throw new IOException("the client's body ended early");
            }
            remaining -= n;
            if (remaining == 0) {
                settle();
            }
            return n;
        }

        /** Reads the client's end of stream, where its signature and checksums are checked. */
        private void settle() throws IOException {
            if (settled) {
                return;
            }
            settled = true;
            try {
                if (body.read() >= 0) {
                    failure = new S3Exception(io.s3d.backend.S3ErrorCode.INVALID_REQUEST,
                            "The request body is longer than its declared length.");
                    throw new IOException(failure.getMessage());
                }
            } catch (S3Exception e) {
                failure = e;
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
