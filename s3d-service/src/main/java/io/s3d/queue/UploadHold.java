package io.s3d.queue;

import java.util.Map;

/**
 * The object tag {@code s3d.upload}: {@code false} keeps an object in the queue, never pushed
 * ("held", shown so by {@code s3d queue ls} and the status endpoint); {@code true}, or no tag, lets it
 * be pushed. A held key is parked with {@link #REASON}; a later tag change through s3d (a queued
 * TAGS item) un-parks it, and the pusher looks at its tags again.
 */
public final class UploadHold {
    public static final String TAG = "s3d.upload";
    /** The parked error of a held key; "Held" stands where a remote error code stands otherwise. */
    public static final String REASON = "Held: tagged s3d.upload=false, kept local; tag it s3d.upload=true "
            + "(put-object-tagging) to push it";

    private UploadHold() {
    }

    /** Whether an object with these tags must stay local. */
    public static boolean holds(Map<String, String> tags) {
        return "false".equalsIgnoreCase(tags.getOrDefault(TAG, "").trim());
    }

    /** Whether a parked error is a hold rather than a remote's refusal. */
    public static boolean isHold(String parkedError) {
        return parkedError != null && parkedError.startsWith("Held:");
    }

    /** How a queue entry's state is shown: {@code held} for a held key, else its own state. */
    public static String shownState(String state, String error) {
        return isHold(error) ? "held" : state;
    }
}
