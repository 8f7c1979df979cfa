package io.s3d.sync;

import java.util.Arrays;
import java.util.Optional;

/** Which way changes flow. */
public enum Direction {
    /** Changes on either side reach the other. */
    BOTH("both"),
    /** Local changes reach the bucket; the bucket's changes are not applied locally. */
    UPLOAD_ONLY("upload-only"),
    /** The bucket's changes reach the local directory; local changes are not uploaded. */
    DOWNLOAD_ONLY("download-only");

    private final String value;

    Direction(String value) {
        this.value = value;
    }

    /** The configuration value. */
    public String value() {
        return value;
    }

    boolean uploads() {
        return this != DOWNLOAD_ONLY;
    }

    boolean downloads() {
        return this != UPLOAD_ONLY;
    }

    static Optional<Direction> parse(String text) {
        return Arrays.stream(values()).filter(d -> d.value.equals(text.trim())).findFirst();
    }
}
