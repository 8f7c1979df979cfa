package io.s3d.access.acl;

/** What an ACL grant gives, as AWS names it. FULL_CONTROL includes the four others. */
public enum Permission {
    READ, WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL;

    /** True when a grant of this permission gives {@code needed}. */
    public boolean covers(Permission needed) {
        return this == needed || this == FULL_CONTROL;
    }
}
