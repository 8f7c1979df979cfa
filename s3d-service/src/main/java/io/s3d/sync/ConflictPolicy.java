package io.s3d.sync;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a pass does with a path both sides changed since the last sync. No policy loses a version:
 * {@link #KEEP_BOTH} keeps the remote version next to the local file; the others keep the losing
 * version in the folder's state directory under {@code conflicts/}.
 */
public enum ConflictPolicy {
    KEEP_BOTH("keep-both"),
    NEWER_WINS("newer-wins"),
    LOCAL_WINS("local-wins"),
    REMOTE_WINS("remote-wins");

    private final String value;

    ConflictPolicy(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    static Optional<ConflictPolicy> parse(String text) {
        return Arrays.stream(values()).filter(p -> p.value.equals(text.trim())).findFirst();
    }
}
