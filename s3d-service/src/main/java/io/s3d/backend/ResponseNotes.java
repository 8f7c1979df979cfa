package io.s3d.backend;

import io.s3d.telemetry.Traces;
import java.util.Optional;

/**
 * What a storage layer has to tell the client about how one request was served, beyond the S3
 * answer itself: for now, whether the read cache served it ({@code hit}, {@code miss},
 * {@code revalidated}) or served a copy it could not revalidate ({@code stale}). The S3 front
 * opens a note per request and turns it into response headers.
 */
public final class ResponseNotes {
    private static final ThreadLocal<String[]> CACHE = new ThreadLocal<>();

    private ResponseNotes() {
    }

    /** Starts the notes of the request this thread serves. */
    public static void begin() {
        CACHE.set(new String[1]);
    }

    /** How the read cache served this request; the last word counts. */
    public static void cache(String how) {
        Traces.annotate("s3d.cache.result", how);
        String[] note = CACHE.get();
        if (note != null) {
            note[0] = how;
        }
    }

    /** Ends the notes of this thread's request and returns the cache's word, if it said one. */
    public static Optional<String> end() {
        String[] note = CACHE.get();
        CACHE.remove();
        return note == null ? Optional.empty() : Optional.ofNullable(note[0]);
    }
}
