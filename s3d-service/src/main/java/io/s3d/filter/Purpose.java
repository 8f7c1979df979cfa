package io.s3d.filter;

/** What a filter decision is for; the names are the sections of the filter file and OPA's {@code purpose}. */
public enum Purpose {
    /** Whether a write is queued (and pushed later) or passes straight to the remote. */
    UPLOAD("queue"),
    /** Whether a read is served through the read cache or passes through uncached. */
    CACHE("cache"),
    /** Whether a sync folder carries a file/key. */
    SYNC("sync"),
    /** Whether an S3 request is allowed at all (OPA only). */
    ACCESS("access");

    private final String section;

    Purpose(String section) {
        this.section = section;
    }

    /** The section of the filter file holding this purpose's rules. */
    public String section() {
        return section;
    }

    /** The name OPA sees in {@code input.purpose}. */
    public String opaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
