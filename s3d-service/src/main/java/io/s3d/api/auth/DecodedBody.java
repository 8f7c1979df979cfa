package io.s3d.api.auth;

import java.io.InputStream;
import java.util.Map;

/** A request body with its transfer encoding removed and its integrity checked while it streams. */
public interface DecodedBody {

    /**
     * The object bytes. A failed check surfaces as an {@link io.s3d.backend.S3Exception} from
     * {@code read()}, at the latest when end of stream is reached; callers must discard whatever
     * they wrote from a stream that threw.
     */
    InputStream stream();

    /**
     * The decoded length: {@code x-amz-decoded-content-length} for aws-chunked bodies, else
     * {@code Content-Length}; -1 when unknown.
     */
    long contentLength();

    /**
     * The checksums computed and verified over the body, base64 as S3 returns them; available once
     * {@link #stream()} has reached end of stream. Includes the algorithm requested by
     * {@code x-amz-sdk-checksum-algorithm} / {@code x-amz-checksum-algorithm} even when the client
     * sent no value for it.
     *
     * @throws IllegalStateException before the stream has been read to its end
     */
    Map<ChecksumAlgorithm, String> checksums();
}
